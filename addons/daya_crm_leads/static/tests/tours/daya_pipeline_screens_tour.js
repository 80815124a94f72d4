/** @odoo-module **/
/* At Follow Up 1 the form shows locked what the model locks, and "Customer Refused"
 * says what is missing before asking for any confirmation. */
import tour from "web_tour.tour";

tour.register("daya_crm_leads_refused_tour", {test: true}, [
  {
    trigger: ".o_form_view .o_field_widget[name=phone].o_readonly_modifier",
    extra_trigger:
      ".o_statusbar_status button.o_arrow_button_current:contains('Follow Up 1')",
    content: "the phone is locked at Follow Up 1, and shown locked",
    run() {
      // A check only: nothing to click.
    },
  },
  {
    trigger: "button[name=action_customer_refused]",
    content: "the customer refused, with no next plan date yet",
  },
  {
    trigger: ".modal-body .o_dialog_warning:contains('next plan date')",
    content: "told what is missing at once (no confirmation asked first)",
    run() {
      // A check only: nothing to click.
    },
  },
  {
    trigger: ".modal-footer button.btn-primary:contains('Ok')",
    content: "close the message",
  },
  {
    trigger: "a.nav-link:contains('Follow Up')",
    extra_trigger: "body:not(:has(.modal))",
    content: "open the follow-up tab",
  },
  {
    trigger: ".o_field_widget[name=fu2_plan_date] input",
    content: "plan follow up 2",
    run: "text 12/30/2030",
  },
  {
    trigger: ".o_field_widget[name=customer_status] select",
    content: "leave the date field",
    run: 'text "considering"',
  },
  {
    trigger: "button[name=action_customer_refused]",
    content: "now the refusal can be recorded",
  },
  {
    trigger: ".modal-body:contains('The customer refused')",
    content: "asked to confirm",
    run() {
      // A check only: nothing to click.
    },
  },
  {
    trigger: ".modal-footer button.btn-primary",
    content: "confirm",
  },
  {
    trigger:
      ".o_statusbar_status button.o_arrow_button_current:contains('Follow Up 2')",
    content: "the opportunity goes to Follow Up 2",
    run() {
      // A check only: nothing to click.
    },
  },
]);
