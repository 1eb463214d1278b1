// GET /v1/admin/kpis?from=YYYY-MM-DD&to=YYYY-MM-DD (admin key): the KPIs of insights/kpis.h.

#include "app/admin_auth.h"
#include "app/chat_runtime.h"
#include "app/serve.h"
#include "common/clock.h"
#include "http/json.h"
#include "insights/kpis.h"

namespace atiende::app {
namespace {

Status install_admin_kpi_routes(http::Router& router, ServeContext& context) {
  ATIENDE_ASSIGN_OR_RETURN(std::string key, load_admin_key(context.config, context.data_dir));
  ATIENDE_ASSIGN_OR_RETURN(std::shared_ptr<ChatRuntime> rt, shared_chat_runtime(context));
  auto admin_key = std::make_shared<const std::string>(std::move(key));
  return router.add("GET", "/v1/admin/kpis",
                    [rt, admin_key](http::Request& request) -> Result<http::Response> {
    ATIENDE_RETURN_IF_ERROR(check_admin_audited(request, *admin_key, rt->audit.get()));
    ATIENDE_ASSIGN_OR_RETURN(
        insights::KpiRange range,
        insights::kpi_range_from(request.query("from").value_or(""), request.query("to").value_or(""),
                                 system_clock().unix_millis()));
    ATIENDE_ASSIGN_OR_RETURN(insights::Kpis kpis, insights::compute_kpis(*rt->conversations, range));
    http::Response response = http::json_response(Json::object());
    response.body = insights::kpis_to_json(kpis);
    return response;
  });
}

}  // namespace
ATIENDE_REGISTER_ROUTES("admin_kpis", install_admin_kpi_routes);
}  // namespace atiende::app
