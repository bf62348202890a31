from . import export, portal, portal_practice
