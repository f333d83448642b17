"""Staffing's domain, pure: completeness of each entry (completeness.py), and the entries
themselves (person.py, equipment.py, project.py) with the events they record."""
