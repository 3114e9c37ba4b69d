-- The org roster's triggers on postgresql: dashboards/roster/triggers.py install_statements(),
-- as the newest roster migration installs them (checked by tests/roster/test_frozen_triggers.py).

CREATE OR REPLACE FUNCTION dashboards_orgrole_roster_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE (org_id = NEW.org_id OR org_id IN (SELECT id FROM dashboards_org WHERE container_id = NEW.org_id AND org_type = 'portal')) AND user_id = NEW.user_id;
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE (org_id = NEW.org_id OR org_id IN (SELECT id FROM dashboards_org WHERE container_id = NEW.org_id AND org_type = 'portal')) AND user_id = NEW.user_id
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND (p.id = NEW.org_id OR p.id IN (SELECT id FROM dashboards_org WHERE container_id = NEW.org_id AND org_type = 'portal')) AND r.user_id = NEW.user_id
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND (s.org_id = NEW.org_id OR s.org_id IN (SELECT id FROM dashboards_org WHERE container_id = NEW.org_id AND org_type = 'portal')) AND m.user_id = NEW.user_id
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_orgrole_roster_insert AFTER INSERT ON dashboards_orgrole FOR EACH ROW EXECUTE FUNCTION dashboards_orgrole_roster_insert();

CREATE OR REPLACE FUNCTION dashboards_orgrole_roster_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE (org_id = OLD.org_id OR org_id IN (SELECT id FROM dashboards_org WHERE container_id = OLD.org_id AND org_type = 'portal')) AND user_id = OLD.user_id;
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE (org_id = OLD.org_id OR org_id IN (SELECT id FROM dashboards_org WHERE container_id = OLD.org_id AND org_type = 'portal')) AND user_id = OLD.user_id
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND (p.id = OLD.org_id OR p.id IN (SELECT id FROM dashboards_org WHERE container_id = OLD.org_id AND org_type = 'portal')) AND r.user_id = OLD.user_id
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND (s.org_id = OLD.org_id OR s.org_id IN (SELECT id FROM dashboards_org WHERE container_id = OLD.org_id AND org_type = 'portal')) AND m.user_id = OLD.user_id
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_orgrole_roster_delete AFTER DELETE ON dashboards_orgrole FOR EACH ROW EXECUTE FUNCTION dashboards_orgrole_roster_delete();

CREATE OR REPLACE FUNCTION dashboards_orgrole_roster_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE (org_id = OLD.org_id OR org_id IN (SELECT id FROM dashboards_org WHERE container_id = OLD.org_id AND org_type = 'portal')) AND user_id = OLD.user_id;
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE (org_id = OLD.org_id OR org_id IN (SELECT id FROM dashboards_org WHERE container_id = OLD.org_id AND org_type = 'portal')) AND user_id = OLD.user_id
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND (p.id = OLD.org_id OR p.id IN (SELECT id FROM dashboards_org WHERE container_id = OLD.org_id AND org_type = 'portal')) AND r.user_id = OLD.user_id
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND (s.org_id = OLD.org_id OR s.org_id IN (SELECT id FROM dashboards_org WHERE container_id = OLD.org_id AND org_type = 'portal')) AND m.user_id = OLD.user_id
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  DELETE FROM dashboards_orgmember WHERE (org_id = NEW.org_id OR org_id IN (SELECT id FROM dashboards_org WHERE container_id = NEW.org_id AND org_type = 'portal')) AND user_id = NEW.user_id;
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE (org_id = NEW.org_id OR org_id IN (SELECT id FROM dashboards_org WHERE container_id = NEW.org_id AND org_type = 'portal')) AND user_id = NEW.user_id
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND (p.id = NEW.org_id OR p.id IN (SELECT id FROM dashboards_org WHERE container_id = NEW.org_id AND org_type = 'portal')) AND r.user_id = NEW.user_id
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND (s.org_id = NEW.org_id OR s.org_id IN (SELECT id FROM dashboards_org WHERE container_id = NEW.org_id AND org_type = 'portal')) AND m.user_id = NEW.user_id
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_orgrole_roster_update AFTER UPDATE OF org_id, user_id, role ON dashboards_orgrole FOR EACH ROW EXECUTE FUNCTION dashboards_orgrole_roster_update();

CREATE OR REPLACE FUNCTION dashboards_courseshare_roster_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE org_id = NEW.org_id AND user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = NEW.course_id);
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE org_id = NEW.org_id AND user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = NEW.course_id)
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND p.id = NEW.org_id AND r.user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = NEW.course_id)
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND s.org_id = NEW.org_id AND m.user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = NEW.course_id)
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_courseshare_roster_insert AFTER INSERT ON dashboards_courseshare FOR EACH ROW EXECUTE FUNCTION dashboards_courseshare_roster_insert();

CREATE OR REPLACE FUNCTION dashboards_courseshare_roster_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE org_id = OLD.org_id AND user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = OLD.course_id);
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE org_id = OLD.org_id AND user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = OLD.course_id)
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND p.id = OLD.org_id AND r.user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = OLD.course_id)
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND s.org_id = OLD.org_id AND m.user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = OLD.course_id)
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_courseshare_roster_delete AFTER DELETE ON dashboards_courseshare FOR EACH ROW EXECUTE FUNCTION dashboards_courseshare_roster_delete();

CREATE OR REPLACE FUNCTION dashboards_courseshare_roster_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE org_id = OLD.org_id AND user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = OLD.course_id);
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE org_id = OLD.org_id AND user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = OLD.course_id)
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND p.id = OLD.org_id AND r.user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = OLD.course_id)
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND s.org_id = OLD.org_id AND m.user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = OLD.course_id)
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  DELETE FROM dashboards_orgmember WHERE org_id = NEW.org_id AND user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = NEW.course_id);
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE org_id = NEW.org_id AND user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = NEW.course_id)
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND p.id = NEW.org_id AND r.user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = NEW.course_id)
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND s.org_id = NEW.org_id AND m.user_id IN (SELECT user_id FROM dashboards_coursemember WHERE course_id = NEW.course_id)
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_courseshare_roster_update AFTER UPDATE OF org_id, course_id ON dashboards_courseshare FOR EACH ROW EXECUTE FUNCTION dashboards_courseshare_roster_update();

CREATE OR REPLACE FUNCTION dashboards_coursemember_roster_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = NEW.course_id) AND user_id = NEW.user_id;
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = NEW.course_id) AND user_id = NEW.user_id
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND p.id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = NEW.course_id) AND r.user_id = NEW.user_id
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND s.org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = NEW.course_id) AND m.user_id = NEW.user_id
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_coursemember_roster_insert AFTER INSERT ON dashboards_coursemember FOR EACH ROW EXECUTE FUNCTION dashboards_coursemember_roster_insert();

CREATE OR REPLACE FUNCTION dashboards_coursemember_roster_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = OLD.course_id) AND user_id = OLD.user_id;
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = OLD.course_id) AND user_id = OLD.user_id
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND p.id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = OLD.course_id) AND r.user_id = OLD.user_id
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND s.org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = OLD.course_id) AND m.user_id = OLD.user_id
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_coursemember_roster_delete AFTER DELETE ON dashboards_coursemember FOR EACH ROW EXECUTE FUNCTION dashboards_coursemember_roster_delete();

CREATE OR REPLACE FUNCTION dashboards_coursemember_roster_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = OLD.course_id) AND user_id = OLD.user_id;
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = OLD.course_id) AND user_id = OLD.user_id
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND p.id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = OLD.course_id) AND r.user_id = OLD.user_id
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND s.org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = OLD.course_id) AND m.user_id = OLD.user_id
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  DELETE FROM dashboards_orgmember WHERE org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = NEW.course_id) AND user_id = NEW.user_id;
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = NEW.course_id) AND user_id = NEW.user_id
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND p.id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = NEW.course_id) AND r.user_id = NEW.user_id
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND s.org_id IN (SELECT org_id FROM dashboards_courseshare WHERE course_id = NEW.course_id) AND m.user_id = NEW.user_id
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_coursemember_roster_update AFTER UPDATE OF course_id, user_id, join_status, finish_date ON dashboards_coursemember FOR EACH ROW EXECUTE FUNCTION dashboards_coursemember_roster_update();

CREATE OR REPLACE FUNCTION dashboards_org_roster_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE org_id = NEW.id AND 1 = 1;
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE org_id = NEW.id AND 1 = 1
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND p.id = NEW.id AND 1 = 1
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND s.org_id = NEW.id AND 1 = 1
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_org_roster_insert AFTER INSERT ON dashboards_org FOR EACH ROW WHEN (NEW.org_type = 'portal') EXECUTE FUNCTION dashboards_org_roster_insert();

CREATE OR REPLACE FUNCTION dashboards_org_roster_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE org_id = NEW.id AND 1 = 1;
  INSERT INTO dashboards_orgmember (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  (u.email IS NULL AND u.username IS NULL AND u.real_name = ''), u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM dashboards_orgrole WHERE org_id = NEW.id AND 1 = 1
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM dashboards_orgrole r JOIN dashboards_org p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND p.id = NEW.id AND 1 = 1
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM dashboards_coursemember m JOIN dashboards_courseshare s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND s.org_id = NEW.id AND 1 = 1
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN dashboards_user u ON u.id = f.user_id JOIN dashboards_org o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_org_roster_update AFTER UPDATE OF container_id, org_type ON dashboards_org FOR EACH ROW WHEN (OLD.container_id IS DISTINCT FROM NEW.container_id OR OLD.org_type IS DISTINCT FROM NEW.org_type) EXECUTE FUNCTION dashboards_org_roster_update();

CREATE OR REPLACE FUNCTION dashboards_user_roster_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  UPDATE dashboards_orgmember SET anonymous = (NEW.email IS NULL AND NEW.username IS NULL AND NEW.real_name = ''), name_key = NEW.name_key, last_seen = NEW.last_seen WHERE user_id = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_user_roster_update AFTER UPDATE OF name_key, last_seen, email, username, first_name, last_name, fn, full_name ON dashboards_user FOR EACH ROW WHEN (OLD.name_key IS DISTINCT FROM NEW.name_key OR OLD.last_seen IS DISTINCT FROM NEW.last_seen OR (OLD.email IS NULL AND OLD.username IS NULL AND OLD.real_name = '') IS DISTINCT FROM (NEW.email IS NULL AND NEW.username IS NULL AND NEW.real_name = '')) EXECUTE FUNCTION dashboards_user_roster_update();

CREATE OR REPLACE FUNCTION dashboards_orgmember_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  INSERT INTO dashboards_orgmembertally (org_id, role_key, portal_rank, anonymous, members) VALUES (NEW.org_id, COALESCE(NEW.role_rank, 9), NEW.portal_rank, NEW.anonymous, 1) ON CONFLICT (org_id, role_key, portal_rank, anonymous) DO UPDATE SET members = dashboards_orgmembertally.members + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_orgmember_tally_insert AFTER INSERT ON dashboards_orgmember FOR EACH ROW EXECUTE FUNCTION dashboards_orgmember_tally_insert();

CREATE OR REPLACE FUNCTION dashboards_orgmember_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  UPDATE dashboards_orgmembertally SET members = members - 1 WHERE org_id = OLD.org_id AND role_key = COALESCE(OLD.role_rank, 9) AND portal_rank = OLD.portal_rank AND anonymous = OLD.anonymous;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_orgmember_tally_delete AFTER DELETE ON dashboards_orgmember FOR EACH ROW EXECUTE FUNCTION dashboards_orgmember_tally_delete();

CREATE OR REPLACE FUNCTION dashboards_orgmember_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  UPDATE dashboards_orgmembertally SET members = members - 1 WHERE org_id = OLD.org_id AND role_key = COALESCE(OLD.role_rank, 9) AND portal_rank = OLD.portal_rank AND anonymous = OLD.anonymous;
  INSERT INTO dashboards_orgmembertally (org_id, role_key, portal_rank, anonymous, members) VALUES (NEW.org_id, COALESCE(NEW.role_rank, 9), NEW.portal_rank, NEW.anonymous, 1) ON CONFLICT (org_id, role_key, portal_rank, anonymous) DO UPDATE SET members = dashboards_orgmembertally.members + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_orgmember_tally_update AFTER UPDATE OF org_id, role_rank, portal_rank, anonymous ON dashboards_orgmember FOR EACH ROW WHEN (OLD.anonymous IS DISTINCT FROM NEW.anonymous OR OLD.role_rank IS DISTINCT FROM NEW.role_rank OR OLD.portal_rank IS DISTINCT FROM NEW.portal_rank OR OLD.org_id IS DISTINCT FROM NEW.org_id) EXECUTE FUNCTION dashboards_orgmember_tally_update();

CREATE OR REPLACE FUNCTION dashboards_user_roster_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE user_id = OLD.id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_user_roster_delete AFTER DELETE ON dashboards_user FOR EACH ROW EXECUTE FUNCTION dashboards_user_roster_delete();

CREATE OR REPLACE FUNCTION dashboards_org_roster_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM dashboards_rosterpause) THEN RETURN NULL; END IF;
  DELETE FROM dashboards_orgmember WHERE org_id = OLD.id;
  DELETE FROM dashboards_orgmembertally WHERE org_id = OLD.id;
  RETURN NULL;
END $$;

CREATE TRIGGER dashboards_org_roster_delete AFTER DELETE ON dashboards_org FOR EACH ROW EXECUTE FUNCTION dashboards_org_roster_delete();

CREATE INDEX org_member_seen_desc_idx ON dashboards_orgmember (org_id, last_seen DESC NULLS LAST, user_id);
