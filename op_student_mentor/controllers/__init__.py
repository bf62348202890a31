from . import export, portal, portal_account, portal_practice
