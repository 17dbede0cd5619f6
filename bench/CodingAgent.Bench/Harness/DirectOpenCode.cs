using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CodingAgent.Agent;
using CodingAgent.Configuration;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;
using CodingAgent.Sandboxes.Local;
using CodingAgent.Tests.Support;
using Microsoft.Extensions.Options;

namespace CodingAgent.Bench.Harness;

/// <summary>
/// The baseline: one <c>opencode serve</c> started exactly as the product starts it (same launcher, configuration and
/// model), driven with plain HTTP as a user would drive it without us — post the prompt, wait for the session's idle.
/// </summary>
public sealed class DirectOpenCode : IAsyncDisposable
{
    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Channel<(string Type, string? Session, string? Status)> events = Channel.CreateUnbounded<(string, string?, string?)>();
    private readonly CancellationTokenSource stop = new();
    private LocalSandboxProvider? provider;
    private ISandbox? sandbox;
    private Task? pump;
    private string sessionId = string.Empty;
    private string repositoryPath = string.Empty;
    private int taskNumber;

    public static async Task<DirectOpenCode> StartAsync(BenchEnvironment environment, TestRepository repository)
    {
        DirectOpenCode direct = new();
        CodingAgentOptions settings = new();
        settings.Sandbox.Local.Root = environment.SandboxRoot;
        settings.Agent.OpenCodePath = RepoRoot.OpenCode;
        settings.Model.BaseUrl = environment.Model.BaseUrl.ToString().TrimEnd('/');
        IOptions<CodingAgentOptions> options = Options.Create(settings);
        direct.provider = new LocalSandboxProvider(options.Sandbox(), TimeProvider.System);
        direct.sandbox = await direct.provider.CreateAsync(new SandboxCreateRequest("local", TimeSpan.FromHours(1), new Dictionary<string, string>()), CancellationToken.None);
        string repo = direct.repositoryPath = direct.sandbox.HomePath + "/repo";
        CommandResult clone = await direct.sandbox.RunAsync(new CommandSpec($"git clone --quiet {ShellQuote.Of(repository.Path)} {ShellQuote.Of(repo)}"), CancellationToken.None);
        if (!clone.Succeeded)
        {
            throw new InvalidOperationException(clone.Stderr);
        }

        string password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        AgentProcess process = await new OpenCodeLauncher(options.Agent()).StartAsync(direct.sandbox, repo, "scripted/model", planOnly: false, password, new ModelEndpoint(settings.Model.BaseUrl, null), CancellationToken.None);
        direct.http.BaseAddress = new Uri($"http://127.0.0.1:{process.Port}/");
        direct.http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("opencode:" + password)));
        using HttpResponseMessage created = await direct.http.PostAsJsonAsync("session", new { title = "baseline" });
        created.EnsureSuccessStatusCode();
        direct.sessionId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        TaskCompletionSource connected = new();
        direct.pump = direct.PumpAsync(connected);
        await connected.Task;
        return direct;
    }

    /// <summary>
    /// The turn exactly as our API hands it to OpenCode: the prompt in a task file, the same instruction to read it.
    /// Writing the file is part of the measured time, as it is for us.
    /// </summary>
    public async Task<TimeSpan> TaskFileTurnAsync(string prompt)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        string path = TaskFiles.PathFor(repositoryPath, 1000 + Interlocked.Increment(ref taskNumber));
        await sandbox!.WriteFileAsync(path, Encoding.UTF8.GetBytes(prompt), CancellationToken.None);
        return System.Diagnostics.Stopwatch.GetElapsedTime(started) + await TurnAsync(TaskFiles.Instruction(path));
    }

    /// <summary>Posts the prompt and waits until the session goes idle after working on it; returns the elapsed time.</summary>
    public async Task<TimeSpan> TurnAsync(string prompt)
    {
        while (events.Reader.TryRead(out _))
        {
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        using HttpResponseMessage posted = await http.PostAsJsonAsync($"session/{sessionId}/prompt_async", new { parts = new[] { new { type = "text", text = prompt } } });
        posted.EnsureSuccessStatusCode();
        bool busy = false;
        await foreach ((string type, string? session, string? status) in events.Reader.ReadAllAsync())
        {
            if (session != sessionId)
            {
                continue;
            }

            busy |= type == "session.status" && status == "busy";
            if (busy && type == "session.idle")
            {
                return System.Diagnostics.Stopwatch.GetElapsedTime(started);
            }
        }

        throw new InvalidOperationException("OpenCode's event stream ended.");
    }

    private async Task PumpAsync(TaskCompletionSource connected)
    {
        using HttpRequestMessage request = new(HttpMethod.Get, "event");
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        await using Stream body = await response.Content.ReadAsStreamAsync(stop.Token);
        connected.TrySetResult();
        try
        {
            await foreach (SseMessage message in SseReader.ReadAsync(body, stop.Token))
            {
                if (message.Data is null)
                {
                    continue;
                }

                using JsonDocument envelope = JsonDocument.Parse(message.Data);
                JsonElement root = envelope.RootElement;
                string type = root.TryGetProperty("type", out JsonElement t) ? t.GetString() ?? string.Empty : string.Empty;
                JsonElement properties = root.TryGetProperty("properties", out JsonElement p) ? p : default;
                string? session = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("sessionID", out JsonElement s) ? s.GetString() : null;
                string? status = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("status", out JsonElement st)
                    && st.ValueKind == JsonValueKind.Object && st.TryGetProperty("type", out JsonElement stType) ? stType.GetString() : null;
                await events.Writer.WriteAsync((type, session, status), stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (pump is not null)
        {
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (sandbox is not null)
        {
            await provider!.KillAsync(sandbox.Id, CancellationToken.None);
        }

        http.Dispose();
        stop.Dispose();
    }
}
