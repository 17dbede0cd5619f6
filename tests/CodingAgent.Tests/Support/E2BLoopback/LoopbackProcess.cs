using System.Diagnostics;
using System.Threading.Channels;

namespace CodingAgent.Tests.Support.E2BLoopback;

/// <summary>
/// A process started through the loopback envd, in its own process group. Its output is always drained (so it never
/// blocks on a full pipe), and offered to whoever streams it at the moment, as envd does: no replay after a disconnect.
/// </summary>
public sealed class LoopbackProcess
{
    private readonly Process process;
    private readonly Channel<(bool Stderr, byte[] Data)> output = Channel.CreateUnbounded<(bool, byte[])>();
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool listening = true;

    private LoopbackProcess(Process process, string? tag, string command)
    {
        this.process = process;
        Tag = tag;
        Command = command;
        Pid = process.Id;
    }

    public int Pid { get; }

    public string? Tag { get; }

    public string Command { get; }

    public bool IsRunning => !exited.Task.IsCompleted;

    public int ExitCode { get; private set; }

    public bool KilledBySignal { get; private set; }

    internal Task Exited => exited.Task;

    internal ChannelReader<(bool Stderr, byte[] Data)> Output => output.Reader;

    internal static LoopbackProcess Start(string cmd, IReadOnlyList<string> args, IDictionary<string, string> env, string cwd, string? tag)
    {
        // setsid: the process leads its own group, so killing the sandbox kills everything it started.
        ProcessStartInfo info = new("setsid")
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(cmd);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Clear();
        foreach ((string key, string value) in env)
        {
            info.Environment[key] = value;
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException("setsid did not start");
        process.StandardInput.Close();
        LoopbackProcess started = new(process, tag, string.Join(' ', args));
        _ = started.PumpAsync();
        return started;
    }

    /// <summary>Stops offering output to a stream (the client disconnected); the output is still drained.</summary>
    internal void Detach() => listening = false;

    internal void Signal(bool kill)
    {
        using Process? signal = Process.Start("kill", [kill ? "-KILL" : "-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        signal?.WaitForExit();
    }

    internal void KillGroup()
    {
        using Process? signal = Process.Start("kill", ["-KILL", "--", "-" + Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        signal?.WaitForExit();
    }

    private async Task PumpAsync()
    {
        Task stdout = PumpAsync(process.StandardOutput.BaseStream, stderr: false);
        Task stderr = PumpAsync(process.StandardError.BaseStream, stderr: true);
        await process.WaitForExitAsync().ConfigureAwait(false);
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        ExitCode = process.ExitCode;
        KilledBySignal = process.ExitCode > 128; // .NET reports 128+signal for a signalled child
        output.Writer.TryComplete();
        exited.TrySetResult();
        process.Dispose();
    }

    private async Task PumpAsync(Stream stream, bool stderr)
    {
        byte[] buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (listening)
            {
                output.Writer.TryWrite((stderr, buffer[..read]));
            }
        }
    }
}
