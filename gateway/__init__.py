"""The gateway: the unit & authority web portal (server-rendered, Chinese) and the platform's edge.

It renders the portal pages, keeps server-side sessions, mints the internal identity token for
each call, forwards ``/api/<service>/…`` to the services (streaming both ways), and protects the
portal with CSRF tokens and login rate limits. It holds no domain rules: the services decide.
"""
