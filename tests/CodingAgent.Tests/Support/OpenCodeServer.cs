using System.Security.Cryptography;
using System.Text;
using CodingAgent.Agent;
using CodingAgent.Configuration;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;
using CodingAgent.Sandboxes.Local;
using CodingAgent.Tests.Support.ScriptedModel;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Support;

/// <summary>
/// A real <c>opencode serve</c> in a local sandbox, started by the project's own launcher against the scripted model,
/// for tests that drive <see cref="OpenCodeTurnDriver"/> directly (no Functions host, no storage).
/// </summary>
public sealed class OpenCodeServer : IAsyncLifetime
{
    private const string ModelId = "scripted";
    private readonly string root = Directory.CreateTempSubdirectory("opencode-sandbox-").FullName;
    private readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
    private ScriptedModelServer? model;
    private LocalSandboxProvider? provider;
    private ISandbox? sandbox;
    private int taskNumber;

    public ScriptedModelServer Model => model!;

    public OpenCodeClient Client { get; private set; } = null!;

    public string RepositoryPath => RepositoryWorkspace.PathIn(sandbox!);

    public async Task InitializeAsync()
    {
        model = await ScriptedModelServer.StartAsync();
        CodingAgentOptions settings = new();
        settings.Sandbox.Local.Root = root;
        settings.Agent.OpenCodePath = RepoRoot.OpenCode;
        settings.Model.BaseUrl = model.BaseUrl.ToString().TrimEnd('/');
        IOptions<CodingAgentOptions> options = Options.Create(settings);
        provider = new LocalSandboxProvider(options.Sandbox(), TimeProvider.System);
        sandbox = await provider.CreateAsync(new SandboxCreateRequest("local", TimeSpan.FromHours(1), new Dictionary<string, string>()), CancellationToken.None);

        using (TestRepository template = TestRepository.Create())
        {
            CommandResult clone = await sandbox.RunAsync(new CommandSpec($"git clone --quiet {ShellQuote.Of(template.Path)} {ShellQuote.Of(RepositoryPath)}"), CancellationToken.None);
            Assert.True(clone.Succeeded, clone.Stderr);
        }

        string password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        AgentProcess process = await new OpenCodeLauncher(options.Agent()).StartAsync(sandbox, RepositoryPath, ModelId, planOnly: false, password, new ModelEndpoint(settings.Model.BaseUrl, null), CancellationToken.None);
        Client = new OpenCodeClient(http, await sandbox.GetPortEndpointAsync(process.Port, CancellationToken.None), password);
        Assert.True(await Client.IsHealthyAsync(TimeSpan.FromSeconds(5), CancellationToken.None), "OpenCode does not answer its health check.");
    }

    public async Task DisposeAsync()
    {
        if (sandbox is not null)
        {
            await provider!.KillAsync(sandbox.Id, CancellationToken.None);
        }

        if (model is not null)
        {
            await model.DisposeAsync();
        }

        http.Dispose();
        Directory.Delete(root, recursive: true);
    }

    /// <summary>Writes a task file the scripted model reads (its directives drive the replies) and returns the turn's prompt.</summary>
    public async Task<string> WriteTaskAsync(string script)
    {
        int number = Interlocked.Increment(ref taskNumber);
        string path = $"{RepositoryPath}/{RepositoryWorkspace.TaskFolder}/task-{number}.md";
        await sandbox!.WriteFileAsync(path, Encoding.UTF8.GetBytes(script + "\n"), CancellationToken.None);
        return $"Read the task in the file {path}, do the work it describes, then end with a short summary of what you changed.";
    }
}
