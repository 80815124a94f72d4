/** @odoo-module **/
/* The customer validates their data on their phone, correcting the email; then
 * the reviewer approves the correction. */
import tour from "web_tour.tour";

const ITEMS = [
  "name",
  "address",
  "nik",
  "mobile",
  "birth",
  "occupation",
  "social_media",
  "monthly_expense",
  "house_status",
  "motorcycle_ownership",
  "previous_motorcycle",
  "motorcycle_use",
];

tour.register("daya_cdb_validation_customer_tour", {test: true}, [
  {
    trigger: "form.o_daya_cdb_form",
    content: "the customer's page shows their data",
    run() {
      // A check only: nothing to click.
    },
  },
  ...ITEMS.map((item) => ({
    trigger: `input#o_daya_cdb_confirm_${item}`,
    content: `${item} is correct`,
  })),
  {
    trigger: "input#o_daya_cdb_correct_email",
    content: "the email is wrong: correct it",
  },
  {
    trigger: "input#o_daya_cdb_value_email",
    content: "the right email",
    run: "text budi.baru@example.com",
  },
  {
    trigger: "input#o_daya_cdb_consent",
    content: "agree to the use of the data",
  },
  {
    trigger: "button.o_daya_cdb_submit",
    content: "submit",
  },
  {
    trigger: ".o_daya_cdb_thanks",
    content: "the data was received",
    run() {
      // A check only: nothing to click.
    },
  },
]);

tour.register("daya_cdb_validation_review_tour", {test: true}, [
  {
    trigger:
      ".o_field_widget[name=line_ids] .o_data_row:contains('budi.baru@example.com') button[name=action_approve]",
    extra_trigger:
      ".o_statusbar_status button.o_arrow_button_current[data-value=submitted]",
    content: "old and new email side by side: approve the new one",
  },
  {
    trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=approved]",
    content: "the validation is approved",
    run() {
      // A check only: nothing to click.
    },
  },
  {
    trigger:
      ".o_field_widget[name=line_ids] .o_data_row:contains('budi.baru@example.com') .badge.text-bg-success",
    content: "the correction is marked approved",
    run() {
      // A check only: nothing to click.
    },
  },
]);
