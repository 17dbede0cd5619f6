using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CodingAgent.Sandboxes.Local;

internal sealed class LocalSandbox : ISandbox
{
    private readonly LocalSandboxLayout layout;
    private readonly LocalSandboxMetadata metadata;

    public LocalSandbox(LocalSandboxLayout layout, LocalSandboxMetadata metadata)
    {
        this.layout = layout;
        this.metadata = metadata;
    }

    public string Id => metadata.Id;

    public string HomePath => layout.Home;

    public Task<bool> IsAliveAsync(CancellationToken cancellationToken) => Task.FromResult(Directory.Exists(layout.Home));

    public async Task<CommandResult> RunAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        // setsid: the command leads its own process group, so a timeout kills everything it started.
        using Process process = new() { StartInfo = StartInfo(spec, "setsid", "--wait", "/bin/bash", "-c", spec.Command) };
        StringBuilder stdout = new();
        StringBuilder stderr = new();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (spec.Timeout is { } timeout)
        {
            limit.CancelAfter(timeout);
        }

        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await ProcessGroups.SignalAsync(process.Id, ProcessSignal.Kill, CancellationToken.None).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return new CommandResult(-1, stdout.ToString(), stderr.ToString(), TimedOut: true);
        }

        process.WaitForExit(); // flushes the asynchronous output readers
        return new CommandResult(process.ExitCode, stdout.ToString(), stderr.ToString(), TimedOut: false);
    }

    public async Task<IProcessHandle> StartAsync(CommandSpec spec, CancellationToken cancellationToken)
    {
        string output = Path.Combine(layout.ProcessesDirectory, "out-" + Guid.NewGuid().ToString("N")[..12] + ".log");
        // The launcher shell exits at once; the process, in its own session, outlives it and the control plane,
        // just as a process in a remote sandbox would. Its output goes to a file, never to a pipe that could break.
        const string Launcher = "setsid /bin/bash -c \"$1\" >\"$2\" 2>&1 </dev/null & echo $!";
        using Process launcher = new() { StartInfo = StartInfo(spec, "/bin/bash", "-c", Launcher, "launcher", spec.Command, output) };
        launcher.Start();
        string pidText = await launcher.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await launcher.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        int pid = int.Parse(pidText.Trim(), CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(layout.PidFile(pid), output, cancellationToken).ConfigureAwait(false);
        return new LocalProcessHandle(pid, output);
    }

    public Task<bool> IsProcessRunningAsync(string processRef, CancellationToken cancellationToken) =>
        Task.FromResult(OwnedPid(processRef) is { } pid && ProcessGroups.IsAlive(pid));

    public Task<bool> SignalAsync(string processRef, ProcessSignal signal, CancellationToken cancellationToken) =>
        OwnedPid(processRef) is { } pid ? ProcessGroups.SignalAsync(pid, signal, cancellationToken) : Task.FromResult(false);

    public Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken) =>
        File.ReadAllBytesAsync(layout.Resolve(path), cancellationToken);

    public async Task WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        string full = layout.Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, content, cancellationToken).ConfigureAwait(false);
    }

    public Task<PortEndpoint> GetPortEndpointAsync(int port, CancellationToken cancellationToken) =>
        Task.FromResult(new PortEndpoint(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), new Dictionary<string, string>()));

    private int? OwnedPid(string processRef) =>
        int.TryParse(processRef, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && File.Exists(layout.PidFile(pid)) ? pid : null;

    private ProcessStartInfo StartInfo(CommandSpec spec, string fileName, params string[] arguments)
    {
        ProcessStartInfo info = new(fileName)
        {
            WorkingDirectory = spec.WorkingDirectory is { } dir ? layout.Resolve(dir) : layout.Home,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The sandbox never inherits the control plane's own settings (keys, connection strings).
        foreach (string inherited in info.Environment.Keys.Where(ControlPlaneSetting).ToList())
        {
            info.Environment.Remove(inherited);
        }

        info.Environment["HOME"] = layout.Home;
        info.Environment["XDG_CONFIG_HOME"] = layout.ConfigHome;
        info.Environment["XDG_DATA_HOME"] = layout.DataHome;
        info.Environment["XDG_CACHE_HOME"] = layout.CacheHome;
        info.Environment["XDG_STATE_HOME"] = layout.StateHome;
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        foreach ((string key, string value) in metadata.EnvVars.Concat(spec.Env ?? new Dictionary<string, string>()))
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private static bool ControlPlaneSetting(string name) =>
        name.StartsWith("CodingAgent__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("CODING_AGENT_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("AzureWebJobs", StringComparison.OrdinalIgnoreCase) || name.StartsWith("APPLICATIONINSIGHTS_", StringComparison.OrdinalIgnoreCase);

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }
}
