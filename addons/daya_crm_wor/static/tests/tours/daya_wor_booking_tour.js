/** @odoo-module **/
/* The workshop admin (PIC CRM H23) offers a KPB 2 customer who has no time on
 * weekdays the next free weekend slot, books it and marks the service done. */
import tour from "web_tour.tour";

tour.register(
  "daya_crm_wor_weekend_booking_tour",
  {test: true, url: "/web#action=daya_crm_wor.daya_wor_lead_action&view_type=list"},
  [
    {
      trigger: ".o_data_row .o_data_cell:contains('Tour Customer')",
      content: "open the KPB 2 workshop lead",
    },
    {
      trigger: "button[name=action_offer_weekend]",
      extra_trigger: ".o_field_widget[name=wor_type]:contains('KPB 2')",
      content: "no time on weekdays: weekend slot",
    },
    {
      trigger: ".modal-footer button:contains('Ok')",
      content: "weekdays confirmed impossible",
    },
    {
      // With a dialog open, the tour looks for triggers inside it
      trigger: ".o_field_widget[name=start] input.o_datepicker_input",
      extra_trigger: ".modal-title:contains('Weekend')",
      content: "the next free weekend slot is proposed",
      run() {
        const input = document.querySelector(
          ".modal .o_field_widget[name=start] input"
        );
        if (!input.value) {
          throw new Error("No weekend slot proposed.");
        }
      },
    },
    {
      trigger: ".modal-footer .o_form_button_save",
      content: "book it",
    },
    {
      trigger: ".o_statusbar_status .o_arrow_button_current:contains('Booked')",
      extra_trigger: "body:not(:has(.modal))",
      content: "the lead is booked",
      run() {
        // A check only: nothing to click.
      },
    },
    {
      trigger: "button[name=action_view_bookings]",
      content: "open its booking",
    },
    {
      trigger: "button[name=action_done]",
      content: "the service is done",
    },
    {
      trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
      content: "done",
      run() {
        // A check only: nothing to click.
      },
    },
  ]
);
