from . import calendar, export, portal, portal_practice
