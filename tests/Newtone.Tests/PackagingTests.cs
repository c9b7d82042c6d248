using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;

namespace Newtone.Tests;

/// <summary>
/// Issue 8's "installable" as a user does it: <c>dotnet pack</c> makes the tool and the four library packages with
/// their metadata; <c>dotnet tool install --tool-path</c> gives a working <c>newtone --version</c>; a program that
/// references only the DSP and fitting packages restores none of ScottPlot, SkiaSharp, YamlDotNet, OnnxSharp or
/// Protobuf. Uses the Release build the test run just made (packing without building).
/// </summary>
public class PackagingTests
{
    private static readonly string Version = typeof(CompressorModel).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion.Split('+')[0];

    private static (int Exit, string Output) Dotnet(string workingDirectory, params string[] args) => DotnetWithCache(workingDirectory, null, args);

    private static (int Exit, string Output) DotnetWithCache(string workingDirectory, string? packagesFolder, params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            // The test host's MSBuild settings must not leak into the child.
            ["MSBuildExtensionsPath"] = null,
            ["MSBUILD_EXE_PATH"] = null,
            ["MSBuildSDKsPath"] = null,
        };
        if (packagesFolder is not null) env["NUGET_PACKAGES"] = packagesFolder;   // not the user's cache: this run's packages only
        var (exit, output, error) = Programs.Run("dotnet", args, workingDirectory, env);
        return (exit, output + error);
    }

    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    [Fact]
    public void PacksInstallsAsAToolAndTheCorePackagesPullInNoHeavyDependency()
    {
        using var dir = new TempDir();
        string packages = dir["packages"];
        var pack = Dotnet(RepoPaths.Root, "pack", "Newtone.slnx", "-c", Configuration, "--no-build", "-o", packages);
        Assert.True(pack.Exit == 0, pack.Output);

        // Five packages, each with an id, description, licence, readme and repository commit.
        foreach (var id in new[] { "Newtone.Dsp", "Newtone.Fitting", "Newtone.IO", "Newtone.Study", "Newtone" })
        {
            string nupkg = Path.Combine(packages, $"{id}.{Version}.nupkg");
            Assert.True(File.Exists(nupkg), $"{nupkg} was not produced:\n{pack.Output}");
            using var zip = ZipFile.OpenRead(nupkg);
            var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            XNamespace ns = nuspec.Root!.Name.Namespace;
            var meta = nuspec.Root.Element(ns + "metadata")!;
            Assert.Equal(id, meta.Element(ns + "id")!.Value);
            Assert.False(string.IsNullOrWhiteSpace(meta.Element(ns + "description")?.Value), $"{id}: no description");
            Assert.Equal("MIT", meta.Element(ns + "license")?.Value);
            Assert.Equal("README.md", meta.Element(ns + "readme")?.Value);
            Assert.Contains(zip.Entries, e => e.FullName == "README.md");
            Assert.Contains(zip.Entries, e => e.FullName == "LICENSE");
            Assert.NotNull(meta.Element(ns + "repository")?.Attribute("commit"));
            var deps = meta.Descendants(ns + "dependency").Select(d => d.Attribute("id")!.Value).ToList();
            if (id == "Newtone.Dsp") Assert.Empty(deps);
            if (id == "Newtone.Fitting") Assert.Equal(["Newtone.Dsp"], deps);
        }

        // The tool installs into a folder and answers --version.
        string tools = dir["tools"];
        var install = Dotnet(dir.Path, "tool", "install", "--tool-path", tools, "--add-source", packages, "Newtone", "--version", Version);
        Assert.True(install.Exit == 0, install.Output);
        var psi = new ProcessStartInfo(Path.Combine(tools, OperatingSystem.IsWindows() ? "newtone.exe" : "newtone"), "--version")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using (var p = Process.Start(psi)!)
        {
            string v = p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(60_000));
            Assert.Equal(0, p.ExitCode);
            Assert.StartsWith(Version, v.Trim());
        }

        // A program that only wants the compressor and the fitter: its restore graph has the two packages and nothing else.
        string app = dir["app"];
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Newtone.Dsp" Version="{Version}" />
                <PackageReference Include="Newtone.Fitting" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Newtone.Dsp;
            using Newtone.Fitting;
            var x = new float[44100 * 3];
            var rng = new Rng(1);
            for (int i = 0; i < x.Length; i++) x[i] = (float)(0.5 * Math.Sin(i * 0.05) * rng.Uniform(0.2, 1));
            var y = new float[x.Length];
            Compressor.Process(x, y, new CompressorModel(new CompressorSettings(-20, 4, 5, 100, 0)), 44100);
            var r = Fitter.Fit(new TrainingSet([x], [y], 44100, FrameLayout.FromSeconds(44100, 1.5, 0.25)), ParameterSpace.Default(44100),
                new FitOptions { Search = new SearchOptions { Enabled = false }, Newton = new NewtonOptions { MaxIterations = 2 } });
            Console.WriteLine(r.Iterations);
            """);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <configuration>
              <packageSources><clear /><add key="local" value="{packages}" /></packageSources>
            </configuration>
            """);
        // Keep the repository's Directory.Build.props out of the way of this outside program.
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        var build = DotnetWithCache(app, dir["nuget-cache"], "build", "-c", "Release");
        Assert.True(build.Exit == 0, build.Output);
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "obj", "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0]).ToList();
        Assert.Equal(["Newtone.Dsp", "Newtone.Fitting"], libraries.Order(StringComparer.Ordinal).ToList());
        foreach (var heavy in new[] { "ScottPlot", "SkiaSharp", "YamlDotNet", "OnnxSharp", "Google.Protobuf" })
            Assert.DoesNotContain(libraries, l => l.StartsWith(heavy, StringComparison.OrdinalIgnoreCase));
    }
}
