from . import calendar, export, portal, portal_account, portal_practice
