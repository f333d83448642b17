"""Identity's HTTP controllers (thin: request Struct in, handler, response Struct out)."""

from __future__ import annotations

from .accounts import AccountController
from .authorities import AuthorityAccountController
from .logins import LoginController
from .me import MeController
from .registration import RegistrationController

ROUTES = [RegistrationController, AccountController, LoginController, MeController, AuthorityAccountController]
