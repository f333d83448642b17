"""Identity: units (法人单位) and their accounts — 注册, 账户登录 with lockout, authority accounts and the
administrator (系统管理); emits UnitAccountRegistered, and UnitVerified when an approval verifies or
changes a unit."""
