namespace CodingAgent.Sandboxes.E2B;

/// <summary>What envd's <c>GET /health</c> says about a sandbox (docs/e2b.md §3, §4.2).</summary>
internal enum EnvdHealth
{
    /// <summary>204: envd answers, the sandbox lives.</summary>
    Healthy,

    /// <summary>Anything but a 204 or the proxy's "not found" 502 (429, 503, a network error): it may well live.</summary>
    Unreachable,

    /// <summary>The proxy answered 502 "The sandbox was not found": killed, expired or paused.</summary>
    Gone,
}
