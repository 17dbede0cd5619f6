using System.Globalization;
using CodingAgent.Configuration;

namespace CodingAgent.Sandboxes.E2B;

/// <summary>
/// Where a sandbox's ports answer (docs/e2b.md §1, §7): <c>https://{port}-{id}.{domain}</c>, or one shared base URL plus the
/// <c>E2b-Sandbox-Id</c>/<c>E2b-Sandbox-Port</c> headers; with the headers every request to that port needs.
/// </summary>
internal sealed record SandboxAddress(string SandboxId, string Domain, string? SharedBaseUrl, string? TrafficAccessToken)
{
    public const int EnvdPort = 49983;

    public static SandboxAddress For(CreatedSandbox sandbox, E2BSandboxOptions settings) => new(
        sandbox.SandboxId,
        sandbox.Domain is { Length: > 0 } domain ? domain : settings.Domain,
        settings.SandboxUrl is { Length: > 0 } shared ? shared.TrimEnd('/') : null,
        sandbox.TrafficAccessToken is { Length: > 0 } token ? token : null);

    public PortEndpoint Port(int port)
    {
        string portText = port.ToString(CultureInfo.InvariantCulture);
        Dictionary<string, string> headers = [];
        Uri baseUrl;
        if (SharedBaseUrl is { } shared)
        {
            baseUrl = new Uri(shared);
            headers["E2b-Sandbox-Id"] = SandboxId;
            headers["E2b-Sandbox-Port"] = portText;
        }
        else
        {
            baseUrl = new Uri($"https://{portText}-{SandboxId}.{Domain}");
        }

        // envd has its own token; every other port is private unless the deployment allows public traffic.
        if (port != EnvdPort && TrafficAccessToken is { } token)
        {
            headers["e2b-traffic-access-token"] = token;
        }

        return new PortEndpoint(baseUrl, headers);
    }
}
