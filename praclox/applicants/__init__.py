"""Applicants: vacancies, the status pipeline, consent to keep data, the retention purge and its report."""
