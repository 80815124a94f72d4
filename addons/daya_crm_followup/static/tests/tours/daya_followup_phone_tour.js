/** @odoo-module **/
/* On a 390 px wide phone: the PIC CRM works a follow-up from the queue's card
 * (call and WhatsApp links, the result buttons within the screen), and the
 * branch head reads the day per person as a graph, then as a pivot. */
import tour from "web_tour.tour";

function checkNoSidewaysScroll() {
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  if (window.innerWidth > 400) {
    throw new Error(`Not a phone screen: ${window.innerWidth} px wide.`);
  }
  if (overflow > 1) {
    throw new Error(`The screen scrolls sideways by ${overflow} px.`);
  }
}

function checkPivotTotal(expected) {
  const cell = document.querySelector(".o_pivot tbody tr td.o_pivot_cell_value");
  const total = cell ? cell.textContent.trim() : "";
  if (total !== String(expected)) {
    throw new Error(`The pivot counts ${total}, expected ${expected}.`);
  }
}

function checkWithinScreen(selector) {
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    if (box.left < 0 || box.right > window.innerWidth) {
      throw new Error(`${selector} is out of the screen (${box.left}-${box.right}).`);
    }
  }
}

tour.register(
  "daya_crm_followup_phone_queue_tour",
  {test: true, url: "/web#action=daya_crm_followup.daya_followup_task_action_my"},
  [
    {
      trigger:
        ".o_kanban_record:contains('Queue Customer') a.o_daya_whatsapp[href^='https://wa.me/62']",
      extra_trigger: ".o_kanban_view",
      content: "the queue opens as cards on a phone, WhatsApp link to the customer",
      run() {
        const card = [...document.querySelectorAll(".o_kanban_record")].find((el) =>
          el.textContent.includes("Queue Customer")
        );
        const call = card.querySelector("a.o_daya_call");
        if (!call || !call.getAttribute("href").startsWith("tel:+62")) {
          throw new Error("No tel: link on the card.");
        }
        checkNoSidewaysScroll();
        checkWithinScreen(".o_kanban_record button[name^=action_result_]");
      },
    },
    {
      trigger:
        ".o_kanban_record:contains('Queue Customer') button[name=action_result_no_response]",
      content: "the customer does not answer: one tap",
    },
    {
      trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('Queue Customer')))",
      content: "recorded: the card leaves today's queue",
      run() {
        // A check only: nothing to click.
      },
    },
  ]
);

tour.register(
  "daya_crm_followup_branch_today_tour",
  {
    test: true,
    url: "/web#action=daya_crm_followup.daya_followup_task_action_branch_today",
  },
  [
    {
      trigger: ".o_graph_renderer canvas",
      content: "the day per person as a graph",
      run() {
        checkNoSidewaysScroll();
      },
    },
    {
      trigger: ".o_cp_switch_buttons .dropdown-toggle",
      content: "other views",
    },
    {
      trigger: ".o_cp_switch_buttons .o_switch_view.o_pivot",
      content: "as a pivot",
    },
    {
      trigger: ".o_pivot th:contains('Test Branch Bandung')",
      extra_trigger: ".o_pivot_cell_value",
      content: "per branch and per person",
      run() {
        checkNoSidewaysScroll();
        checkPivotTotal(3);
      },
    },
    {
      trigger: ".o_enable_searchview",
      content: "search",
    },
    {
      trigger: ".o_toggle_searchview_full",
      content: "the filters",
    },
    {
      trigger: ".o_mobile_search .o_filter_menu .dropdown-toggle",
      content: "open the filters",
    },
    {
      trigger: ".o_mobile_search .o_filter_menu .o_menu_item:contains('Overdue')",
      content: "only what is overdue",
    },
    {
      trigger:
        ".o_mobile_search .o_filter_menu .o_menu_item.selected:contains('Overdue')",
      content: "back to the figures",
      run() {
        document
          .querySelector(".o_mobile_search_header .o_mobile_search_button")
          .click();
      },
    },
    {
      // The pivot reloads with the filter
      trigger: ".o_pivot tbody tr:first td.o_pivot_cell_value:contains('2')",
      extra_trigger: "body:not(:has(.o_mobile_search))",
      content: "the overdue follow-ups of today",
      run() {
        checkPivotTotal(2);
      },
    },
  ]
);

tour.register(
  "daya_crm_followup_weekly_review_tour",
  {test: true, url: "/web#action=daya_crm_followup.daya_followup_week_report_action"},
  [
    {
      trigger: ".o_pivot thead th:contains('Customers Followed Up')",
      extra_trigger: ".o_pivot tbody tr:nth-child(2) .o_pivot_cell_value",
      content: "the weekly review: week by week, this week last",
      run() {
        checkNoSidewaysScroll();
        const headers = document.querySelectorAll(
          ".o_pivot tbody th.o_pivot_header_cell_closed"
        );
        if (
          !headers.length ||
          !/^W\d+ \d{4}$/.test(headers[headers.length - 1].textContent.trim())
        ) {
          throw new Error("The rows are not weeks.");
        }
      },
    },
    {
      trigger: ".o_pivot tbody tr:last-child td.o_pivot_cell_value:first",
      content: "this week's customers followed up: the records",
    },
    {
      trigger: ".o_list_view .o_data_row:contains('Queue Customer')",
      content: "the customer followed up this week",
      run() {
        checkNoSidewaysScroll();
      },
    },
  ]
);
