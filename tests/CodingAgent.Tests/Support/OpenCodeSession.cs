using System.Text.Json;
using CodingAgent.Agent;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Sandboxes;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Support;

/// <summary>Asks a run's OpenCode directly (with its stored per-run password) what its session holds.</summary>
public sealed class OpenCodeSession(OpenCodeClient client, string sessionId)
{
    private static readonly HttpClient Http = new();

    public static async Task<OpenCodeSession> OpenAsync(TestEnvironment environment, RunRecord run)
    {
        IOptions<CodingAgentOptions> options = Options.Create(new CodingAgentOptions
        {
            Storage = new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = environment.NamePrefix },
            Secrets = new SecretOptions { EncryptionKey = environment.EncryptionKey },
        });
        RunSecretStore secrets = new(new StorageClients(options.Storage()), new SecretProtector(options.Secrets()));
        string password = await secrets.GetAsync(run.RunId, RunSecretStore.AgentPassword, CancellationToken.None)
            ?? throw new InvalidOperationException("The run has no agent password.");
        PortEndpoint endpoint = new(new Uri($"http://127.0.0.1:{run.Agent!.Port}"), new Dictionary<string, string>());
        return new OpenCodeSession(new OpenCodeClient(Http, endpoint, password), run.Agent.SessionId!);
    }

    public async Task<IReadOnlyList<string>> UserMessageIdsAsync()
    {
        using JsonDocument messages = await client.GetMessagesAsync(sessionId, CancellationToken.None);
        return messages.RootElement.EnumerateArray()
            .Select(m => m.GetProperty("info"))
            .Where(info => info.GetProperty("role").GetString() == "user")
            .Select(info => info.GetProperty("id").GetString()!)
            .ToList();
    }
}
