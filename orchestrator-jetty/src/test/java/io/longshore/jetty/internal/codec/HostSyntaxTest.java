package io.longshore.jetty.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A Host value as a string, as Jetty's fields hand it over (the byte path is in {@link RequestHeadTest}). */
class HostSyntaxTest {
    @Test
    void aStringHostIsCheckedAsItsBytesAreAndNothingOutsideAsciiPasses() {
        assertThat(HostSyntax.isValid("a.example:8080")).isTrue();
        assertThat(HostSyntax.isValid("[::1]")).isTrue();
        assertThat(HostSyntax.isValid("")).isTrue();
        assertThat(HostSyntax.isValid("h\u00e9")).as("Latin-1").isFalse();
        assertThat(HostSyntax.isValid("h\u0141")).as("beyond Latin-1, whose low byte is 'A'").isFalse();
        assertThat(HostSyntax.isValid("h\r\nX: 1")).isFalse();
    }

    @Test
    void withoutBracketsTakesOffTheBracketsOfAnIpLiteralAndLeavesAnythingElse() {
        assertThat(HostSyntax.withoutBrackets("[::1]")).isEqualTo("::1");
        assertThat(HostSyntax.withoutBrackets("[FE80::1]")).as("case kept").isEqualTo("FE80::1");
        assertThat(HostSyntax.withoutBrackets("[]")).isEmpty();
        assertThat(HostSyntax.withoutBrackets("::1")).isEqualTo("::1");
        assertThat(HostSyntax.withoutBrackets("a.example")).isEqualTo("a.example");
        assertThat(HostSyntax.withoutBrackets("[::1]:8080")).as("a port stays, brackets and all").isEqualTo("[::1]:8080");
        assertThat(HostSyntax.withoutBrackets("[::1")).isEqualTo("[::1");
        assertThat(HostSyntax.withoutBrackets("[")).isEqualTo("[");
        assertThat(HostSyntax.withoutBrackets("]")).isEqualTo("]");
        assertThat(HostSyntax.withoutBrackets("")).isEmpty();
    }
}
