"""Settings every test shares."""
import os

# node's colour variables decide whether console output is coloured; the expected outputs are
# node's uncoloured ones (tests/runtime/test_colors.py sets them itself)
for _name in ("FORCE_COLOR", "NO_COLOR", "NODE_DISABLE_COLORS"):
    os.environ.pop(_name, None)
