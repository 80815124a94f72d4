/** @odoo-module **/
/* A salesperson enters a lead, converts it, follows it up twice, wins it and
 * makes the dealer memo with their sales memo. */
import tour from "web_tour.tour";

function pick(field, text) {
  return [
    {
      trigger: `.o_field_widget[name=${field}] input`,
      content: `choose ${field}`,
      run: `text ${text}`,
    },
    {
      trigger: `.o-autocomplete--dropdown-menu a:contains("${text}")`,
      content: `select ${text}`,
    },
  ];
}

tour.register(
  "daya_crm_leads_sales_tour",
  {test: true, url: "/web#action=crm.crm_lead_all_leads&view_type=list"},
  [
    {trigger: ".o_list_button_add", content: "new lead"},
    {
      trigger: ".o_field_widget[name=name] input",
      content: "lead title",
      run: "text Tour lead Rina",
    },
    {
      trigger: ".o_field_widget[name=contact_name] input",
      run: "text Rina Tour",
    },
    {
      trigger: ".o_field_widget[name=mobile] input",
      run: "text 0857 1234 9876",
    },
    {
      trigger: ".o_field_widget[name=partner_id] input:propValue('Rina Tour')",
      content: "the customer with this name and phone fills in at once",
      run() {
        // A check only: nothing to click.
      },
    },
    {
      trigger: ".o_field_widget[name=lead_category] input[data-value=prospect]",
      content: "Leads Prospect",
    },
    {
      trigger: ".o_field_widget[name=payment_type] input[data-value=cash]",
      content: "Cash",
    },
    ...pick("occupation_id", "Private employee"),
    ...pick("motor_type_id", "Tour BeAT"),
    ...pick("motor_color_id", "T Red"),
    ...tour.stepUtils.saveForm(),
    {
      trigger: ".o_field_widget[name=lead_number]:contains('LD/')",
      content: "the lead number is given on save",
      run() {
        // A check only: nothing to click.
      },
    },
    {
      trigger: "button:contains('Convert to Opportunity')",
      content: "convert",
    },
    {
      trigger: ".modal-footer button:contains('Create Opportunity')",
      content: "create the opportunity",
    },
    {
      trigger: "button[name=action_follow_up_1]",
      extra_trigger:
        ".o_statusbar_status button.o_arrow_button_current:contains('New')",
      content: "Follow Up 1",
    },
    {
      trigger: "a.nav-link:contains('Follow Up')",
      extra_trigger:
        ".o_statusbar_status button.o_arrow_button_current:contains('Follow Up 1')",
      content: "open the follow-up tab",
    },
    {
      trigger: ".o_field_widget[name=fu2_plan_date] input",
      content: "plan follow up 2",
      run: "text 12/30/2030",
    },
    ...tour.stepUtils.saveForm(),
    {
      trigger: "button[name=action_follow_up_2]",
      content: "Follow Up 2",
    },
    {
      trigger: "button[name=action_set_won_rainbowman]",
      extra_trigger:
        ".o_statusbar_status button.o_arrow_button_current:contains('Follow Up 2')",
      content: "the customer agrees: won",
    },
    {
      trigger: "button[name=action_create_dealer_memo]",
      extra_trigger:
        ".o_statusbar_status button.o_arrow_button_current:contains('Won')",
      content: "create the dealer memo",
    },
    {
      trigger: ".o_field_widget[name=sales_memo_id] input",
      extra_trigger: ".modal-title:contains('Create Dealer Memo')",
      content: "the memo register number",
      run: "text T-SM-t_sales_a",
    },
    {
      trigger: '.o-autocomplete--dropdown-menu a:contains("T-SM-t_sales_a")',
    },
    {
      trigger: ".modal-footer button:contains('Process')",
      content: "process",
    },
    {
      trigger: ".o_field_widget[name=sales_memo_id]:contains('T-SM-t_sales_a')",
      extra_trigger:
        ".o_statusbar_status button.o_arrow_button_current:contains('At Sales Admin')",
      content: "the dealer memo goes to the sales admin",
      run() {
        // A check only: nothing to click.
      },
    },
  ]
);
