using System.Text.Json;

namespace CodingAgent.Tests.Support.ScriptedModel;

/// <summary>Builds the JSON argument objects of the OpenCode tools the script uses.</summary>
internal static class ToolArguments
{
    public static ToolCallReply Read(string filePath) =>
        new("read", Json(w => w.WriteString("filePath", filePath)));

    public static ToolCallReply For(ToolDirective directive, string? workingDirectory) => directive switch
    {
        WriteDirective write => new("write", Json(w =>
        {
            w.WriteString("filePath", PathResolver.MakeAbsolute(write.Path, workingDirectory));
            w.WriteString("content", write.Content + "\n");
        })),
        EditDirective edit => new("edit", Json(w =>
        {
            w.WriteString("filePath", PathResolver.MakeAbsolute(edit.Path, workingDirectory));
            w.WriteString("oldString", edit.OldText);
            w.WriteString("newString", edit.NewText);
        })),
        BashDirective bash => new("bash", Json(w =>
        {
            w.WriteString("command", bash.Command);
            w.WriteString("description", "scripted command");
        })),
        _ => throw new ArgumentOutOfRangeException(nameof(directive), directive, "Unknown tool directive."),
    };

    private static string Json(Action<Utf8JsonWriter> writeProperties) => ChunkJson.Build(w =>
    {
        w.WriteStartObject();
        writeProperties(w);
        w.WriteEndObject();
    });
}
