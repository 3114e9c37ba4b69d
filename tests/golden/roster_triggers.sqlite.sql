-- The org roster's triggers on sqlite: dashboards/roster/triggers.py install_statements(),
-- as the newest roster migration installs them (checked by tests/roster/test_frozen_triggers.py).

CREATE TRIGGER dashboards_orgrole_roster_insert AFTER INSERT ON dashboards_orgrole WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
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
END;

CREATE TRIGGER dashboards_orgrole_roster_delete AFTER DELETE ON dashboards_orgrole WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
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
END;

CREATE TRIGGER dashboards_orgrole_roster_update AFTER UPDATE OF org_id, user_id, role ON dashboards_orgrole WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
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
END;

CREATE TRIGGER dashboards_courseshare_roster_insert AFTER INSERT ON dashboards_courseshare WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
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
END;

CREATE TRIGGER dashboards_courseshare_roster_delete AFTER DELETE ON dashboards_courseshare WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
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
END;

CREATE TRIGGER dashboards_courseshare_roster_update AFTER UPDATE OF org_id, course_id ON dashboards_courseshare WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
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
END;

CREATE TRIGGER dashboards_coursemember_roster_insert AFTER INSERT ON dashboards_coursemember WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
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
END;

CREATE TRIGGER dashboards_coursemember_roster_delete AFTER DELETE ON dashboards_coursemember WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
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
END;

CREATE TRIGGER dashboards_coursemember_roster_update AFTER UPDATE OF course_id, user_id, join_status, finish_date ON dashboards_coursemember WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
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
END;

CREATE TRIGGER dashboards_org_roster_insert AFTER INSERT ON dashboards_org WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause) AND (NEW.org_type = 'portal')
BEGIN
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
END;

CREATE TRIGGER dashboards_org_roster_update AFTER UPDATE OF container_id, org_type ON dashboards_org WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause) AND (OLD.container_id IS NOT NEW.container_id OR OLD.org_type IS NOT NEW.org_type)
BEGIN
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
END;

CREATE TRIGGER dashboards_user_roster_update AFTER UPDATE OF name_key, last_seen, email, username, first_name, last_name, fn, full_name ON dashboards_user WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause) AND (OLD.name_key IS NOT NEW.name_key OR OLD.last_seen IS NOT NEW.last_seen OR (OLD.email IS NULL AND OLD.username IS NULL AND OLD.real_name = '') IS NOT (NEW.email IS NULL AND NEW.username IS NULL AND NEW.real_name = ''))
BEGIN
  UPDATE dashboards_orgmember SET anonymous = (NEW.email IS NULL AND NEW.username IS NULL AND NEW.real_name = ''), name_key = NEW.name_key, last_seen = NEW.last_seen WHERE user_id = NEW.id;
END;

CREATE TRIGGER dashboards_orgmember_tally_insert AFTER INSERT ON dashboards_orgmember WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
  INSERT INTO dashboards_orgmembertally (org_id, role_key, portal_rank, anonymous, members) VALUES (NEW.org_id, COALESCE(NEW.role_rank, 9), NEW.portal_rank, NEW.anonymous, 1) ON CONFLICT (org_id, role_key, portal_rank, anonymous) DO UPDATE SET members = dashboards_orgmembertally.members + 1;
END;

CREATE TRIGGER dashboards_orgmember_tally_delete AFTER DELETE ON dashboards_orgmember WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
  UPDATE dashboards_orgmembertally SET members = members - 1 WHERE org_id = OLD.org_id AND role_key = COALESCE(OLD.role_rank, 9) AND portal_rank = OLD.portal_rank AND anonymous = OLD.anonymous;
END;

CREATE TRIGGER dashboards_orgmember_tally_update AFTER UPDATE OF org_id, role_rank, portal_rank, anonymous ON dashboards_orgmember WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause) AND (OLD.anonymous IS NOT NEW.anonymous OR OLD.role_rank IS NOT NEW.role_rank OR OLD.portal_rank IS NOT NEW.portal_rank OR OLD.org_id IS NOT NEW.org_id)
BEGIN
  UPDATE dashboards_orgmembertally SET members = members - 1 WHERE org_id = OLD.org_id AND role_key = COALESCE(OLD.role_rank, 9) AND portal_rank = OLD.portal_rank AND anonymous = OLD.anonymous;
  INSERT INTO dashboards_orgmembertally (org_id, role_key, portal_rank, anonymous, members) VALUES (NEW.org_id, COALESCE(NEW.role_rank, 9), NEW.portal_rank, NEW.anonymous, 1) ON CONFLICT (org_id, role_key, portal_rank, anonymous) DO UPDATE SET members = dashboards_orgmembertally.members + 1;
END;

CREATE TRIGGER dashboards_user_roster_delete AFTER DELETE ON dashboards_user WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
  DELETE FROM dashboards_orgmember WHERE user_id = OLD.id;
END;

CREATE TRIGGER dashboards_org_roster_delete AFTER DELETE ON dashboards_org WHEN NOT EXISTS (SELECT 1 FROM dashboards_rosterpause)
BEGIN
  DELETE FROM dashboards_orgmember WHERE org_id = OLD.id;
  DELETE FROM dashboards_orgmembertally WHERE org_id = OLD.id;
END;
