using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CodingAgent.Tests.Support.E2BLoopback;

/// <summary>
/// One sandbox of the loopback E2B server: a home folder on this machine, its processes, its tokens and its lifetime.
/// Killing it kills every process group it started and deletes the folder, as E2B would tear down the VM.
/// </summary>
public sealed class LoopbackSandbox
{
    private readonly ConcurrentDictionary<int, LoopbackProcess> processes = new();
    private int killed;

    internal LoopbackSandbox(string root, string templateId, int timeoutSeconds, IReadOnlyDictionary<string, string> metadata,
        IReadOnlyDictionary<string, string> envVars, bool allowPublicTraffic, bool secure, DateTimeOffset now)
    {
        Id = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 20);
        TemplateId = templateId;
        Home = Directory.CreateDirectory(Path.Combine(root, Id, "home", "user")).FullName;
        Metadata = metadata;
        EnvVars = envVars;
        AllowPublicTraffic = allowPublicTraffic;
        EnvdAccessToken = secure ? RandomNumberGenerator.GetHexString(32, lowercase: true) : null;
        TrafficAccessToken = allowPublicTraffic ? null : RandomNumberGenerator.GetHexString(32, lowercase: true);
        StartedAt = now;
        EndAt = now.AddSeconds(timeoutSeconds);
        Root = Path.Combine(root, Id);
    }

    public string Id { get; }

    public string TemplateId { get; }

    /// <summary>The template user's home (<c>/home/user</c> on E2B), here a folder of this machine.</summary>
    public string Home { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyDictionary<string, string> EnvVars { get; }

    public bool AllowPublicTraffic { get; }

    public string? EnvdAccessToken { get; }

    public string? TrafficAccessToken { get; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset EndAt { get; internal set; }

    public bool IsAlive => Volatile.Read(ref killed) == 0;

    /// <summary>
    /// Set while the sandbox is between states (<c>paused</c>, <c>killed</c>, <c>snapshotted</c>): connect, timeout and kill
    /// then answer 409 "Sandbox \"id\" is being …", as E2B does (docs/e2b.md §3).
    /// </summary>
    public string? Transition { get; set; }

    public IReadOnlyCollection<LoopbackProcess> Processes => [.. processes.Values.Where(p => p.IsRunning)];

    private string Root { get; }

    internal void Add(LoopbackProcess process) => processes[process.Pid] = process;

    internal LoopbackProcess? Find(int pid) => processes.TryGetValue(pid, out LoopbackProcess? p) && p.IsRunning ? p : null;

    /// <summary>Kills every process and removes the sandbox's files; true the first time.</summary>
    internal bool Kill()
    {
        if (Interlocked.Exchange(ref killed, 1) != 0)
        {
            return false;
        }

        foreach (LoopbackProcess process in processes.Values)
        {
            process.KillGroup();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a dying process may still hold a file; the test run's temp folder is removed later anyway
        }
        catch (UnauthorizedAccessException)
        {
        }

        return true;
    }
}
