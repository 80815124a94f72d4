/** @odoo-module **/
/* The workshop admin offers a KPB 2 customer with no time on weekdays a weekend
 * slot, then marks the service done. */
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
            trigger: ".modal-footer .o_form_button_save",
            extra_trigger: ".modal-title:contains('Weekend')",
            content: "book the weekend slot proposed",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Booked')",
            content: "the lead is booked",
            run() {},
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
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
            content: "done",
            run() {},
        },
    ]
);
