"""Root test configuration: registers the real-component fixtures."""

pytest_plugins = [
    "tests.fixtures.telemetry",
    "tests.fixtures.infra",
    "tests.fixtures.s3",
    "tests.fixtures.platform",
    "tests.fixtures.gateway",
    "tests.fixtures.browser",
    "tests.fixtures.hsm",
]
