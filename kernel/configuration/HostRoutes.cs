namespace CodingAgent.Configuration;

/// <summary>The HTTP route prefix of both hosts (the Functions default, <c>extensions.http.routePrefix</c> in host.json).</summary>
public static class HostRoutes
{
    public const string Prefix = "api";
}
