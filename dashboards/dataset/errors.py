"""The one error a dataset load raises: every problem found, as readable lines."""

MAX_PROBLEMS = 50


class DatasetError(Exception):
    """A dataset that cannot be loaded: `problems` holds the first 50 of `total` lines."""

    def __init__(self, problems, total=None):
        self.problems = list(problems)[:MAX_PROBLEMS]
        self.total = max(total or 0, len(problems))
        super().__init__("\n".join(self.report_lines()))

    @property
    def more(self):
        """How many problems were found beyond those in `problems`."""
        return self.total - len(self.problems)

    def report_lines(self):
        """The problems, then "…and N more" when some were left out."""
        if self.more:
            return [*self.problems, f"…and {self.more} more"]
        return list(self.problems)


class Problems:
    """Collect problem lines, keeping the first 50 and counting the rest."""

    def __init__(self):
        self.lines = []
        self.total = 0

    def add(self, where, reason):
        self.total += 1
        if len(self.lines) < MAX_PROBLEMS:
            self.lines.append(f"{where}: {reason}")

    def add_counted(self, lines, total):
        """Add problem lines found elsewhere: the first of `lines`, and `total` in all."""
        self.lines.extend(lines[: MAX_PROBLEMS - len(self.lines)])
        self.total += total

    def extend(self, other):
        """Add another collection's problems after these."""
        self.add_counted(other.lines, other.total)

    def raise_if_any(self):
        if self.total:
            raise DatasetError(self.lines, self.total)
