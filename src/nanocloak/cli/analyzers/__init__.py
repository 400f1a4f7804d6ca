"""Sub-commands of ``nanocloak analyze``; each module defines ``register(app)``."""
