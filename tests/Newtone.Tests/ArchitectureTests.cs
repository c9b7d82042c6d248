using System.Reflection;

namespace Newtone.Tests;

/// <summary>
/// The layers and their public surface (issue 8): each library assembly references only the layers below it and
/// the packages it is allowed, and its public API equals the baseline in api/ (so the surface changes only on purpose).
/// </summary>
public class ArchitectureTests
{
    private static readonly Assembly Dsp = typeof(CompressorModel).Assembly, Fitting = typeof(Fitter).Assembly,
        IO = typeof(FitConfig).Assembly, Study = typeof(SignalTrainIndex).Assembly;

    public static TheoryData<string> Libraries => new() { "Newtone.Dsp", "Newtone.Fitting", "Newtone.IO", "Newtone.Study" };

    private static Assembly ByName(string name) => new[] { Dsp, Fitting, IO, Study }.Single(a => a.GetName().Name == name);

    [Theory]
    [InlineData("Newtone.Dsp", new string[0])]
    [InlineData("Newtone.Fitting", new[] { "Newtone.Dsp" })]
    [InlineData("Newtone.IO", new[] { "Newtone.Dsp", "Newtone.Fitting", "NAudio.Core", "YamlDotNet", "NLayer" })]
    [InlineData("Newtone.Study", new[] { "Newtone.Dsp", "Newtone.Fitting", "Newtone.IO", "NAudio.Core", "ScottPlot", "FftSharp", "OnnxSharp", "Google.Protobuf", "SkiaSharp", "NLayer" })]
    public void EachLayerReferencesOnlyTheLayersBelowItAndItsOwnPackages(string library, string[] allowed)
    {
        var refs = ByName(library).GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n is not "netstandard" and not "mscorlib")
            .ToList();
        var extra = refs.Except(allowed).ToList();
        Assert.True(extra.Count == 0, $"{library} references {string.Join(", ", extra)}");
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void PublicApiEqualsTheBaseline(string library)
    {
        string file = Path.Combine(RepoPaths.Root, "api", library + ".txt");
        var now = PublicApi(ByName(library));
        if (Environment.GetEnvironmentVariable("NEWTONE_UPDATE_API") == "1")
        {
            File.WriteAllText(file, string.Join('\n', now) + "\n");
            return;
        }
        Assert.True(File.Exists(file), $"{file} is missing: run the tests once with NEWTONE_UPDATE_API=1 and review the new file");
        var baseline = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
        var added = now.Except(baseline).ToList();
        var removed = baseline.Except(now).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0,
            $"the public API of {library} differs from api/{library}.txt (if on purpose, rerun with NEWTONE_UPDATE_API=1 and commit the file):\n"
            + string.Join('\n', added.Select(a => "+ " + a).Concat(removed.Select(r => "- " + r))));
    }

    /// <summary>One line per public type and per public or protected member, sorted.</summary>
    internal static List<string> PublicApi(Assembly a)
    {
        var lines = new List<string>();
        foreach (var t in a.GetExportedTypes())
        {
            string kind = t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : "class";
            var bases = new List<string>();
            if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum)) bases.Add(Name(b));
            bases.AddRange(t.GetInterfaces().Where(i => i.IsPublic).Select(Name).Order(StringComparer.Ordinal));
            lines.Add($"{kind} {Name(t)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}");
            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var m in t.GetMembers(flags))
            {
                bool visible = m switch
                {
                    MethodBase mb => mb.IsPublic || mb.IsFamily || mb.IsFamilyOrAssembly,
                    FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
                    PropertyInfo or EventInfo or Type => false,   // accessors are listed as methods; nested types on their own
                    _ => false,
                };
                if (!visible || m.Name.Contains('<')) continue;
                if (t.IsEnum && m.Name == "value__") continue;
                lines.Add($"  {Name(t)}::{m}");
            }
        }
        return lines.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>A type's name without assembly versions: generic arguments by their own names.</summary>
    private static string Name(Type t)
    {
        if (!t.IsGenericType) return (t.FullName ?? t.Name).Replace('+', '.');
        var def = t.GetGenericTypeDefinition();
        string name = (def.FullName ?? def.Name).Replace('+', '.');
        return name[..name.IndexOf('`')] + "<" + string.Join(", ", t.GetGenericArguments().Select(Name)) + ">";
    }
}
