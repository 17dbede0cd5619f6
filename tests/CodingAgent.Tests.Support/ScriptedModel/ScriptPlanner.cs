namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>Decides the next model reply from the conversation: one scripted directive per LLM step.</summary>
internal static class ScriptPlanner
{
    public const string TitleText = "Scripted title";

    public static ModelReply Plan(ChatRequest request)
    {
        if (!request.HasTools)
        {
            return new TextReply(TitleText);
        }

        var calls = request.ToolCallsSinceUser;
        var taskPath = TaskFileLocator.Find(request.LastUserText, request.WorkingDirectory);
        string taskText;
        int progress;
        if (taskPath is null)
        {
            taskText = request.LastUserText ?? string.Empty;
            progress = calls.Count;
        }
        else if (calls.Count == 0)
        {
            return ToolArguments.Read(taskPath);
        }
        else
        {
            var readOutput = request.ToolResultsSinceUser.GetValueOrDefault(calls[0].Id, string.Empty);
            taskText = ReadToolOutput.Strip(readOutput);
            progress = calls.Count - 1;
        }

        return NextStep(TaskScriptParser.Parse(taskText), progress, request.WorkingDirectory);
    }

    private static ModelReply NextStep(IReadOnlyList<ScriptDirective> script, int progress, string? workingDirectory)
    {
        var delay = TimeSpan.Zero;
        var toolIndex = 0;
        string? say = null;
        var done = new List<string>();
        foreach (var directive in script)
        {
            switch (directive)
            {
                case SleepDirective sleep when toolIndex == progress:
                    delay += sleep.Duration;
                    break;
                case FailDirective fail when toolIndex == progress:
                    return new FailureReply(fail.StatusCode) { Delay = delay };
                case ToolDirective tool when toolIndex == progress:
                    return ToolArguments.For(tool, workingDirectory) with { Delay = delay };
                case ToolDirective tool:
                    done.Add(tool.Summary);
                    toolIndex++;
                    break;
                case SayDirective sayDirective:
                    say = sayDirective.Text;
                    break;
                default:
                    break;
            }
        }

        var text = say ?? (done.Count == 0 ? "Done: nothing to do" : "Done: " + string.Join("; ", done));
        return new TextReply(text) { Delay = delay };
    }
}
