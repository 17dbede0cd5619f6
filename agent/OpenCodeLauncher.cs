using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CodingAgent.Configuration;
using CodingAgent.Sandboxes;
using Microsoft.Extensions.Options;

namespace CodingAgent.Agent;

public sealed record AgentProcess(int Port, string ProcessRef);

/// <summary>The OpenAI-compatible endpoint OpenCode calls for the model, and the bearer token it sends there.</summary>
public sealed record ModelEndpoint(string BaseUrl, string? Token);

/// <summary>Starts <c>opencode serve</c> in a sandbox and waits for the line that says it listens (docs/opencode.md §1, §8).</summary>
public sealed partial class OpenCodeLauncher(IOptions<AgentOptions> options)
{
    private const string PluginMarkerPackage = """{"dependencies":{"@opencode-ai/plugin":"*"}}""";
    private const string PluginMarkerLock = """{"lockfileVersion":3,"packages":{"":{"dependencies":{"@opencode-ai/plugin":"*"}}}}""";

    public async Task<AgentProcess> StartAsync(
        ISandbox sandbox, string repositoryPath, string modelId, bool planOnly, string serverPassword, ModelEndpoint model,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        AgentOptions settings = options.Value;
        await SeedPluginMarkerAsync(sandbox, cancellationToken).ConfigureAwait(false);

        string config = OpenCodeConfig.Build(modelId, model.BaseUrl, model.Token is { Length: > 0 }, planOnly);
        CommandSpec command = new(
            $"exec {ShellQuote.Of(settings.OpenCodePath)} serve --hostname 127.0.0.1 --port 0",
            WorkingDirectory: repositoryPath,
            Env: OpenCodeConfig.Environment(config, serverPassword, model.Token));
        IProcessHandle process = await sandbox.StartAsync(command, cancellationToken).ConfigureAwait(false);

        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(settings.StartTimeoutSeconds));
        Queue<string> lastLines = new();
        try
        {
            await foreach (string line in process.ReadOutputLinesAsync(limit.Token).ConfigureAwait(false))
            {
                Match listening = ListeningLine().Match(line);
                if (listening.Success)
                {
                    return new AgentProcess(int.Parse(listening.Groups["port"].Value, CultureInfo.InvariantCulture), process.Ref);
                }

                lastLines.Enqueue(line);
                if (lastLines.Count > 5)
                {
                    lastLines.Dequeue();
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await sandbox.SignalAsync(process.Ref, ProcessSignal.Kill, CancellationToken.None).ConfigureAwait(false);
            throw new AgentException($"OpenCode did not start listening within {settings.StartTimeoutSeconds} s. Last output: {string.Join(" | ", lastLines)}");
        }

        throw new AgentException($"OpenCode exited before it listened. Last output: {string.Join(" | ", lastLines)}");
    }

    // Stops OpenCode's background npm install of its plugin package, which would otherwise try the network (docs/opencode.md §2).
    private static async Task SeedPluginMarkerAsync(ISandbox sandbox, CancellationToken cancellationToken)
    {
        await sandbox.WriteFileAsync(".config/opencode/package.json", Encoding.UTF8.GetBytes(PluginMarkerPackage), cancellationToken).ConfigureAwait(false);
        await sandbox.WriteFileAsync(".config/opencode/package-lock.json", Encoding.UTF8.GetBytes(PluginMarkerLock), cancellationToken).ConfigureAwait(false);
        await sandbox.WriteFileAsync(".config/opencode/node_modules/.keep", ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex(@"opencode server listening on http://[^\s:]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
