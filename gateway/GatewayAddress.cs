using CodingAgent.Agent;
using CodingAgent.Configuration;

namespace CodingAgent.Gateway;

/// <summary>The model endpoint a run's OpenCode is given: this control plane's gateway, with the run's token.</summary>
public static class GatewayAddress
{
    public static ModelEndpoint For(ModelOptions model, GatewayToken token)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(token);
        string baseUrl = model.GatewayUrl is { Length: > 0 } url
            ? url.TrimEnd('/')
            : throw new AgentException("CodingAgent:Model:GatewayUrl is not set: sandboxes need the address of this control plane's model gateway.");
        return new ModelEndpoint($"{baseUrl}/{HostRoutes.Prefix}/{GatewayRoutes.Base}", token.ToString());
    }
}
