using CodingAgent.Configuration;
using Microsoft.AspNetCore.Http;

namespace CodingAgent.Api;

/// <summary>Routes below the Functions route prefix <c>api</c>; the self-host maps the same strings.</summary>
public static class ApiRoutes
{
    public const string RoutePrefix = HostRoutes.Prefix;
    public const string Base = "v1/coding-agent";
    public const string Runs = Base + "/runs";
    public const string Run = Runs + "/{runId}";
    public const string Messages = Run + "/messages";
    public const string Turn = Run + "/turns/{turn}";
    public const string Stream = Run + "/stream";
    public const string Patch = Run + "/patch";
    public const string Cancel = Run + "/cancel";
    public const string Deliveries = Run + "/deliveries";
    public const string Subscriptions = Run + "/subscriptions";
    public const string Subscription = Subscriptions + "/{subscriptionId}";
    public const string Usage = Base + "/usage";
    public const string OpenApi = Base + "/openapi.json";
    public const string Connector = Base + "/connector/swagger.json";
    public const string Health = "health";

    public static string BaseUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}/{RoutePrefix}/{Base}";
    }
}
