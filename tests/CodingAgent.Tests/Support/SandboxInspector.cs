using System.Text.Json.Nodes;
using CodingAgent.Application.Model;
using CodingAgent.Hosting.Options;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Support;

/// <summary>Looks behind the API: the local sandboxes on disk and the stored run records.</summary>
public sealed class SandboxInspector(TestEnvironment environment)
{
    public IReadOnlyList<string> SandboxesOf(string runId) =>
        Directory.EnumerateDirectories(environment.SandboxRoot, "lsb-*")
            .Where(dir => File.Exists(Path.Combine(dir, "sandbox.json"))
                && (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "sandbox.json")))!["metadata"]!["codingAgentRunId"] == runId)
            .ToList();

    public static IReadOnlyList<int> ProcessIds(string sandbox) =>
        Directory.EnumerateFiles(Path.Combine(sandbox, "processes"), "*.pid").Select(f => int.Parse(Path.GetFileNameWithoutExtension(f))).ToList();

    public static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1][0] is not ('Z' or 'X');

    public async Task<RunRecord> RunRecordAsync(string account, string runId)
    {
        StorageClients clients = new(Options.Create(new CodingAgentOptions
        {
            Storage = new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = environment.NamePrefix },
        }));
        return await new RunStore(clients).GetAsync(account, runId, CancellationToken.None) ?? throw new InvalidOperationException("no run record");
    }
}
