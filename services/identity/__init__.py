"""Identity: units (法人单位) and their accounts — 注册, 账户登录 with lockout; emits UnitAccountRegistered."""
