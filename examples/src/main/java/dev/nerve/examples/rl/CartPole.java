package dev.nerve.examples.rl;

import java.util.SplittableRandom;

/**
 * Cart-pole balancing (Barto, Sutton and Anderson 1983), with the dynamics, limits and rewards
 * of Gymnasium's CartPole-v1.
 *
 * <pre>
 * state (x, x', theta, theta'): cart position and velocity, pole angle (0 = upright) and its rate
 * action 0 pushes the cart left, 1 right, with force F = 10 N
 * gravity g = 9.8, cart mass 1.0, pole mass m = 0.1, half pole length l = 0.5, total mass M = 1.1
 * temp    = (F + m l theta'^2 sin theta) / M
 * theta'' = (g sin theta - cos theta temp) / (l (4/3 - m cos^2 theta / M))
 * x''     = temp - m l theta'' cos theta / M
 * explicit Euler with tau = 0.02 s: x += tau x', x' += tau x'', theta += tau theta', theta' += tau theta''
 * reward 1 for every step, including the last; terminated when |x| > 2.4 m or |theta| > 12 degrees;
 * truncated after 500 steps; reset draws each state variable uniformly in [-0.05, 0.05]
 * </pre>
 */
public final class CartPole implements Environment {
  public static final double GRAVITY = 9.8;
  public static final double MASS_CART = 1.0;
  public static final double MASS_POLE = 0.1;
  public static final double TOTAL_MASS = MASS_CART + MASS_POLE;
  public static final double LENGTH = 0.5; // half the pole's length
  public static final double POLE_MASS_LENGTH = MASS_POLE * LENGTH;
  public static final double FORCE = 10.0;
  public static final double TAU = 0.02;
  public static final double THETA_LIMIT = 12 * 2 * Math.PI / 360;
  public static final double X_LIMIT = 2.4;
  public static final int MAX_STEPS = 500;

  private final SplittableRandom random;
  private final double[] s = new double[4];
  private int steps;
  private boolean running;

  public CartPole(long seed) {
    this.random = new SplittableRandom(seed);
  }

  @Override
  public int observationSize() {
    return 4;
  }

  @Override
  public int actionCount() {
    return 2;
  }

  @Override
  public float[] reset() {
    for (int i = 0; i < 4; i++) s[i] = random.nextDouble(-0.05, 0.05);
    steps = 0;
    running = true;
    return observation();
  }

  /** Sets the state directly (tests, demonstrations); the episode counts from step 0. */
  public float[] reset(double x, double xDot, double theta, double thetaDot) {
    s[0] = x;
    s[1] = xDot;
    s[2] = theta;
    s[3] = thetaDot;
    steps = 0;
    running = true;
    return observation();
  }

  @Override
  public Step step(int action) {
    if (action != 0 && action != 1) throw new IllegalArgumentException("CartPole.step: action must be 0 or 1, got " + action);
    if (!running) throw new IllegalStateException("CartPole.step: call reset() first (the episode is over or not started)");
    double x = s[0];
    double xDot = s[1];
    double theta = s[2];
    double thetaDot = s[3];
    double force = action == 1 ? FORCE : -FORCE;
    double cos = Math.cos(theta);
    double sin = Math.sin(theta);
    double temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sin) / TOTAL_MASS;
    double thetaAcc = (GRAVITY * sin - cos * temp) / (LENGTH * (4.0 / 3.0 - MASS_POLE * cos * cos / TOTAL_MASS));
    double xAcc = temp - POLE_MASS_LENGTH * thetaAcc * cos / TOTAL_MASS;
    s[0] = x + TAU * xDot;
    s[1] = xDot + TAU * xAcc;
    s[2] = theta + TAU * thetaDot;
    s[3] = thetaDot + TAU * thetaAcc;
    steps++;
    boolean terminated = s[0] < -X_LIMIT || s[0] > X_LIMIT || s[2] < -THETA_LIMIT || s[2] > THETA_LIMIT;
    boolean truncated = !terminated && steps >= MAX_STEPS;
    running = !(terminated || truncated);
    return new Step(observation(), 1f, terminated, truncated);
  }

  private float[] observation() {
    return new float[] {(float) s[0], (float) s[1], (float) s[2], (float) s[3]};
  }
}
