using DevTools;

namespace RaServer.Tests.DevTools;

public sealed class DevArgumentsTests
{
    [Fact]
    public void The_last_dir_given_wins()
    {
        var arguments = Parse("--dir", "/tmp/first", "--dir=/tmp/second");

        Assert.Equal("/tmp/second", arguments.Dir);
    }

    [Fact]
    public void The_last_port_and_pg_port_given_win()
    {
        var arguments = Parse("--port", "6001", "--pg-port", "6101", "--port=6002", "--pg-port", "6102");

        Assert.Equal(6002, arguments.Port);
        Assert.Equal(6102, arguments.PgPort);
    }

    [Fact]
    public void Without_options_the_instance_lives_in_dot_ra_dev_and_picks_its_ports()
    {
        var arguments = Parse();

        Assert.Equal(".ra-dev", arguments.Dir);
        Assert.Null(arguments.Port);
        Assert.Null(arguments.PgPort);
        Assert.Empty(arguments.Configuration);
    }

    [Fact]
    public void Section_key_settings_with_an_equals_sign_or_a_separate_value_reach_the_configuration()
    {
        var arguments = Parse("--Mail:Transport=Smtp", "--Server:Port", "0", "--dir", "/tmp/x", "--Trust:CrlFiles:0=/tmp/a.crl");

        Assert.Equal("Smtp", arguments.Configuration["Mail:Transport"]);
        Assert.Equal("0", arguments.Configuration["Server:Port"]);
        Assert.Equal("/tmp/a.crl", arguments.Configuration["Trust:CrlFiles:0"]);
        Assert.Equal("/tmp/x", arguments.Dir);
        Assert.Equal(3, arguments.Configuration.Count);
    }

    [Fact]
    public void The_last_value_of_a_setting_given_twice_wins()
    {
        var arguments = Parse("--Mail:Transport=Pickup", "--Mail:Transport=Smtp");

        Assert.Equal("Smtp", arguments.Configuration["Mail:Transport"]);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--bogus=1")]
    [InlineData("stray")]
    [InlineData("-d")]
    public void An_unknown_option_is_refused_in_one_line_that_names_it(string option)
    {
        var arguments = DevArguments.Parse(["--dir", "/tmp/x", option], out var error);

        Assert.Null(arguments);
        Assert.NotNull(error);
        Assert.Contains($"'{option}'", error);
        Assert.DoesNotContain('\n', error);
    }

    [Theory]
    [InlineData("--port", "abc")]
    [InlineData("--pg-port", "0")]
    [InlineData("--port", "70000")]
    public void A_port_that_is_not_a_tcp_port_is_refused(string option, string value)
    {
        Assert.Null(DevArguments.Parse([option, value], out var error));
        Assert.Contains(value, error);
    }

    [Fact]
    public void An_option_without_its_value_is_refused()
    {
        Assert.Null(DevArguments.Parse(["--dir"], out var error));
        Assert.Contains("--dir", error);
    }

    [Fact]
    public async Task The_dev_command_exits_with_2_on_an_unknown_option_before_starting_anything()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ra-dev-args-{Guid.NewGuid():N}");

        Assert.Equal(2, await DevCommand.RunAsync(["--dir", folder, "--no-such-option"]));
        Assert.False(Directory.Exists(folder), "a refused command line must not make the instance folder");
    }

    private static DevArguments Parse(params string[] args)
    {
        var arguments = DevArguments.Parse(args, out var error);
        Assert.True(arguments is not null, error);
        return arguments;
    }
}
