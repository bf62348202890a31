from odoo.tests import TransactionCase


class TestSmoke(TransactionCase):
    def test_focus_data(self):
        names = self.env["op.mentor.focus"].search([]).mapped("name")
        self.assertEqual(
            sorted(names), ["Academic Guidance", "Career Planning", "Personal Development", "Technical Skills"]
        )
