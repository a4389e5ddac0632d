"""E-mail in general: rendering, the wire format, message ids and the transports."""
