using System.Globalization;

namespace CodingAgent.Sandboxes.Local;

/// <summary>
/// The provider's own records of one local sandbox, <c>&lt;root&gt;/.state/&lt;id&gt;/</c>: <c>sandbox.json</c> (metadata,
/// env vars, expiry) and <c>processes/&lt;pid&gt;.pid</c> (start time of each background process). Outside the sandbox's HOME
/// and working tree, and never named in a sandbox command's environment, working directory or open files, so the agent
/// does not write it by accident. It runs as the same OS user, though, and a determined agent could still find and
/// write it: every read is validated (<see cref="LocalSandboxMetadata.TryLoadAsync"/>, <see cref="ProcessRecord.Parse"/>)
/// and every pid is checked against /proc before a signal (<see cref="ProcessGroups"/>).
/// </summary>
internal sealed class LocalSandboxState(string root, string id)
{
    public const string FolderName = ".state";

    /// <summary>The folder holding every sandbox's state.</summary>
    public string Root { get; } = Path.Combine(root, FolderName);

    public string Directory => Path.Combine(Root, id);

    public string MetadataFile => Path.Combine(Directory, "sandbox.json");

    public string ProcessesDirectory => Path.Combine(Directory, "processes");

    public void Create() => System.IO.Directory.CreateDirectory(ProcessesDirectory);

    public Task RecordAsync(ProcessRecord record, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(RecordFile(record.Pid), record.Content, cancellationToken);

    /// <summary>The recorded process with this pid; null when there is none or its record is malformed.</summary>
    public ProcessRecord? Find(int pid) => Read(RecordFile(pid));

    /// <summary>Every well-formed record; anything else in the folder is ignored.</summary>
    public IReadOnlyList<ProcessRecord> Processes() =>
        System.IO.Directory.Exists(ProcessesDirectory)
            ? System.IO.Directory.EnumerateFiles(ProcessesDirectory, "*.pid").Select(Read).OfType<ProcessRecord>().ToList()
            : [];

    private string RecordFile(int pid) => Path.Combine(ProcessesDirectory, pid.ToString(CultureInfo.InvariantCulture) + ".pid");

    private static ProcessRecord? Read(string file)
    {
        try
        {
            // A record is a few digits; anything bigger is not one and is not read whole.
            return new FileInfo(file) is { Exists: true, Length: < 64 } info && info.LinkTarget is null
                ? ProcessRecord.Parse(Path.GetFileNameWithoutExtension(file), File.ReadAllText(file))
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
