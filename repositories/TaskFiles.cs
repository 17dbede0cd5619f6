using System.Globalization;

namespace CodingAgent.Repositories;

/// <summary>
/// The prompt goes to a task file outside the repository's tracked files and the agent is told to read it.
/// One place for the file's name and the instruction, so everything that drives OpenCode says exactly the same.
/// </summary>
public static class TaskFiles
{
    public const string Folder = ".coding-agent";

    public static string PathFor(string repositoryPath, int turn) =>
        $"{repositoryPath}/{Folder}/task-{turn.ToString(CultureInfo.InvariantCulture)}.md";

    public static string Instruction(string taskFilePath) =>
        $"Read the task in the file {taskFilePath}, do the work it describes, then end with a short summary of what you changed.";
}
