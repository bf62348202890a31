{
    "name": "Student Mentor: Parents",
    "version": "18.0.1.1.0",
    "category": "Education",
    "summary": "Parents follow their child's mentorship on the portal; optional parental consent before "
    "a minor's first meeting",
    "author": "op_student_mentor developers",
    "website": "https://github.com/op-student-mentor/op_student_mentor",
    "license": "LGPL-3",
    "depends": ["op_student_mentor", "openeducat_parent"],
    "data": [
        "security/op_student_mentor_parent_security.xml",
        "security/ir.model.access.csv",
        "data/mail_template_data.xml",
        "views/op_mentor_parent_consent_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/op_student_mentor_parent_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "op_student_mentor_parent/static/src/js/parent_portal.js",
        ],
        "web.assets_tests": [
            "op_student_mentor_parent/static/tests/tours/**/*",
        ],
    },
    "auto_install": True,
    "installable": True,
}
