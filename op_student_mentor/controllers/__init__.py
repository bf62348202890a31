from . import calendar, export, portal, portal_account, portal_mentee, portal_mentor
