using System.Net;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>
/// The E2B proxy's own 502 bodies (docs/e2b.md §4.2): <c>"The sandbox was not found"</c> for a dead sandbox, <c>"The sandbox is
/// running but port is not open"</c> while nothing listens on the port yet. Any other 502 says nothing about the sandbox.
/// </summary>
internal static class ProxyAnswers
{
    public static bool SaysSandboxNotFound(HttpStatusCode status, string? message) =>
        status == HttpStatusCode.BadGateway && message is not null && message.Contains("not found", StringComparison.OrdinalIgnoreCase);
}
