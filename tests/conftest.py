"""Root test configuration: registers the real-component fixtures."""

pytest_plugins = [
    "tests.fixtures.telemetry",
    "tests.fixtures.infra",
    "tests.fixtures.platform",
    "tests.fixtures.browser",
]
