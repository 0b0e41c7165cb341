from tests.applicants.conftest import make_applicant, make_vacancy  # noqa: F401  (fixtures)
