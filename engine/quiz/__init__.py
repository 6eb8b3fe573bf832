"""Quiz-level values and pure logic: what is asked, how answers are read and graded."""
