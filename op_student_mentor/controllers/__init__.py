from . import portal, portal_practice
