namespace CodingAgent.Tests.Support;

/// <summary>A test class with a self-host of its own (started before each test, killed after) and a key for one account.</summary>
public abstract class SelfHostTest(TestEnvironment environment, string account) : IAsyncLifetime
{
    protected TestEnvironment Environment { get; } = environment;

    protected SelfHostProcess Host { get; private set; } = null!;

    protected string Key { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Key = await Environment.SharedKeyAsync(account);
        Host = await SelfHostProcess.StartAsync(Environment.Environment());
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        Environment.EndSandboxProcesses();
    }
}
