"""rewardkit.testing, as a plugin author's own test suite uses it."""

pytest_plugins = ["pytester"]


def test_fixtures_in_an_authors_suite(pytester):
    pytester.makepyfile(test_author='''
        from rewardkit import Verifier, hookimpl

        class Contains(Verifier):
            name = "contains"

            def verify(self, sample):
                return str(sample.reference) in sample.completion_text

        class Plugin:
            @hookimpl
            def register_verifiers(self, register):
                register(Contains)

        def test_scores(register_plugin, score_sample):
            register_plugin(Plugin())
            result = score_sample("contains", "the answer is 42", reference="42")
            assert result.status == "ok" and result.reward == 1.0
            assert score_sample("contains", "no idea", reference="42").reward == 0.0

        def test_isolated(plugin_manager):
            assert "contains" not in plugin_manager.get_verifiers()

        def test_engine(register_plugin, make_engine):
            register_plugin(Plugin())
            engine = make_engine(["contains"])
            scores = engine.score([{"completion": "a1", "answer": "1"},
                                   {"completion": "b", "answer": "1"}])
            assert [s.reward for s in scores] == [1, 0]
    ''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_score_sample_with_options_and_timeout(score_sample, faulty):
    assert score_sample("exact_match", "ABC", reference="abc", ignore_case=True).reward == 1.0
    assert score_sample("faulty", "hang", timeout=0.5).status == "timeout"
