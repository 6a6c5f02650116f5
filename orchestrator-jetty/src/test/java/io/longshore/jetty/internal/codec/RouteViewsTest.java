package io.longshore.jetty.internal.codec;

import static io.longshore.jetty.internal.codec.Heads.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteViewsTest {
    private final RouteViews views = new RouteViews();

    @Test
    void thePathHeadersAndCookiesAreReadInPlace() {
        RequestHead head = request("GET http://gw/cart/42?x=1 HTTP/1.1\r\nHost: gw\r\nX-User: ann\r\n"
                + "Cookie: theme=dark\r\nX-user: bob\r\nCookie: a=1; lb=\"acts-8001-3\"\r\n\r\n");

        assertThat(views.path(head)).hasToString("/cart/42");
        assertThat(views.header(head, "x-USER")).hasToString("ann");
        assertThat(views.header(head, "X-Missing")).isNull();
        assertThat(views.cookie(head, "theme")).hasToString("dark");
        assertThat(views.cookie(head, "lb")).hasToString("acts-8001-3");
        assertThat(views.cookie(head, "a")).hasToString("1");
        assertThat(views.cookie(head, "missing")).isNull();
        assertThat(head.fieldIndex("x-user", 2)).isEqualTo(3);
        assertThat(head.fieldIndex("x-usér", 0)).isEqualTo(-1);
    }

    /** RFC 9112 3.2.2: a server that receives an absolute-form target ignores {@code Host} for its authority. */
    @Test
    void theHostOfAnAbsoluteFormTargetIsItsAuthority() {
        RequestHead absolute = request("GET http://a.example:8080/p HTTP/1.1\r\nHost: b.example\r\n\r\n");
        RequestHead origin = request("GET /p HTTP/1.1\r\nHost: b.example\r\n\r\n");
        RequestHead none = request("GET /p HTTP/1.0\r\n\r\n");

        assertThat(views.header(absolute, "host")).hasToString("a.example:8080");
        assertThat(RouteViews.headerText(absolute, "Host")).isEqualTo("a.example:8080");
        assertThat(views.header(origin, "Host")).hasToString("b.example");
        assertThat(RouteViews.headerText(origin, "HOST")).isEqualTo("b.example");
        assertThat(views.header(none, "Host")).isNull();
        assertThat(RouteViews.headerText(none, "Host")).isNull();
    }

    @Test
    void aCookieWhoseNameEndsAnotherOrHasSpacesAroundItsValueIsFoundByTheSameRulesAsTheApis() {
        String header = "xlb=1; lb =  2 ;c=\"q\"; novalue; d=";
        RequestHead head = request("GET / HTTP/1.1\r\nHost: gw\r\nCookie: " + header + "\r\n\r\n");

        for (String name : new String[] {"lb", "xlb", "c", "d", "novalue", "b", "x"}) {
            CharSequence expected = io.longshore.api.internal.Cookies.value(header, name);
            CharSequence actual = views.cookie(head, name);
            assertThat(actual == null ? null : actual.toString()).as(name)
                    .isEqualTo(expected == null ? null : expected.toString());
        }
        assertThat(views.cookie(head, "lb")).hasToString("2");
    }

    @Test
    void anEmptyPathReadsAsASlashAndEachKindKeepsItsOwnView() {
        RequestHead head = request("GET http://gw HTTP/1.1\r\nHost: gw\r\nX-A: 1\r\nCookie: c=2\r\n\r\n");

        CharSequence header = views.header(head, "X-A");
        CharSequence cookie = views.cookie(head, "c");

        assertThat(views.path(head)).hasToString("/");
        assertThat(header).hasToString("1");
        assertThat(cookie).hasToString("2");
    }

    @Test
    void aViewReadsCharactersAsLatin1AndCopiesOnlyForSubSequenceAndToString() {
        byte[] bytes = {'x', (byte) 0xE9, 'y', 'z'};
        HeadText text = new HeadText().set(bytes, 1, 4);

        assertThat(text.length()).isEqualTo(3);
        assertThat(text.charAt(0)).isEqualTo('é');
        assertThat(text.subSequence(1, 3)).hasToString("yz");
        assertThat(text.toString()).isEqualTo("éyz");
        assertThatThrownBy(() -> text.charAt(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
